/**
 * How every function is bundled: one esbuild build per function, with code splitting, so that a
 * library a handler loads with `await import()` lands in a chunk of its own that Lambda reads
 * only when that path runs. ServiceFunction ships exactly this, and bench:coldstart and the
 * bundle tests build with it, so what is measured is what is deployed.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import { checkConfigFiles } from '../../shared/config/files';

/** Where the renderer's fonts live, relative to the repository root. */
export const certificateFontsDir = 'shared/certificates/fonts';

/** The entry file Lambda's `index.handler` names; chunks sit beside it. */
export const entryFile = 'index.mjs';

/**
 * Every output file gets esbuild's banner, chunks included: a bundled CommonJS dependency calls
 * require() from whichever chunk it landed in, so each one defines its own.
 */
const requireBanner =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/** esbuild's options for one function: `entryPoint` (absolute) → `outdir/index.mjs` plus chunks. */
export function functionBuildOptions(root: string, entryPoint: string, outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: { index: entryPoint },
    outdir,
    // Chunks keep the default `[name]-[hash]` at the top of outdir: the renderer's chunk reads
    // `./fonts/` relative to its own URL, so it must sit where the fonts are copied.
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // Prefer the ESM builds of dependencies so esbuild can tree-shake them.
    mainFields: ['module', 'main'],
    minify: true,
    // Stack traces need only the mappings (NODE_OPTIONS=--enable-source-maps); embedding the
    // sources would double every file.
    sourcemap: true,
    sourcesContent: false,
    // Ship the SDK versions the tests ran against rather than whatever the runtime carries.
    external: [],
    banner: { js: requireBanner },
    metafile: true,
    logLevel: 'error',
  };
}

/** The renderer reads `./fonts/*.ttf` beside its module, so they are copied beside the chunks. */
export function copyCertificateFonts(root: string, outdir: string): void {
  cpSync(path.join(root, certificateFontsDir), path.join(outdir, 'fonts'), {
    recursive: true,
    filter: (source) => !path.basename(source).includes('.') || source.endsWith('.ttf'),
  });
}

let configFilesChecked = false;

/** Synchronous, because CDK's local bundling hook is. */
export function bundleFunctionSync(root: string, handlerPath: string, outdir: string, withFonts: boolean): Metafile {
  // The functions read config/*.json as bundled, unchecked: this is where a broken edit is stopped.
  if (!configFilesChecked) {
    checkConfigFiles();
    configFilesChecked = true;
  }
  const { metafile } = buildSync(functionBuildOptions(root, path.join(root, handlerPath), outdir));
  if (withFonts) copyCertificateFonts(root, outdir);
  return metafile;
}

export interface BundleOutputs {
  /** Code files (no source maps) a fresh import of index.mjs evaluates: the entry and its static chunks. */
  atStart: string[];
  /** Every code file shipped: the above plus the chunks only `import()` reaches. */
  all: string[];
}

/**
 * The output files of one build, split by what a cold start loads: from the entry, follow the
 * static `import` statements between chunks transitively (metafile paths, relative to the build's
 * working directory). A single-file build has one file in both lists.
 */
export function bundleOutputs(metafile: Metafile): BundleOutputs {
  const code = Object.keys(metafile.outputs).filter((file) => !file.endsWith('.map'));
  // Lazy chunks are entry points to esbuild too; the function's entry is the one named index.mjs.
  const entries = code.filter((file) => path.basename(file) === entryFile);
  if (entries.length !== 1) throw new Error(`expected one ${entryFile} among the outputs, found ${entries.length}`);
  const atStart = new Set(entries);
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of metafile.outputs[file]!.imports) {
      if (imported.kind !== 'import-statement' || imported.external || atStart.has(imported.path)) continue;
      atStart.add(imported.path);
      queue.push(imported.path);
    }
  }
  return { atStart: [...atStart], all: code };
}

/** The input modules (sources and package files) inside the given output files. */
export function inputsOf(metafile: Metafile, outputs: readonly string[]): string[] {
  return outputs.flatMap((file) => Object.keys(metafile.outputs[file]!.inputs));
}
