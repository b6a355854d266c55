import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { repoRoot } from '../../infra/constructs/service-function';

/**
 * The import graph of one function's sources, as esbuild resolves it; packages stay external, so
 * it takes a fraction of a second and shows which of our modules (and packages) each one reaches.
 */
export async function sourceGraph(handler: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [path.join(repoRoot, handler)],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return result.metafile;
}
