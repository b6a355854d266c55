/**
 * Builds the web app: web/src → web/dist (hashed file names, so CloudFront and browsers may keep
 * them for a year while index.html is always fetched fresh). Used by `npm start`, the e2e tests
 * and the CDK asset bundling.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const webRoot = import.meta.dirname;

export interface WebBuild {
  outDir: string;
  script: string;
  styles: string;
}

export async function buildWeb(outDir = path.join(webRoot, 'dist'), { minify = true } = {}): Promise<WebBuild> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.join(webRoot, 'src', 'main.ts'), path.join(webRoot, 'src', 'styles.css')],
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome109', 'safari15.4', 'firefox115'],
    minify,
    sourcemap: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.relative(outDir, file).split(path.sep).join('/'));
  const script = outputs.find((file) => /main-\w+\.js$/.test(file));
  const styles = outputs.find((file) => /styles-\w+\.css$/.test(file));
  if (!script || !styles) throw new Error(`web build produced no script or stylesheet: ${outputs.join(', ')}`);
  const html = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8').replace('%SCRIPT%', script).replace('%STYLES%', styles);
  fs.writeFileSync(path.join(outDir, 'index.html'), html);
  return { outDir, script, styles };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  const built = await buildWeb(outDir);
  const { gzipSync } = await import('node:zlib');
  const size = (file: string) => gzipSync(fs.readFileSync(path.join(built.outDir, file))).length;
  console.log(`web app built in ${built.outDir}: ${built.script} ${(size(built.script) / 1024).toFixed(1)} KB gzip, ${built.styles} ${(size(built.styles) / 1024).toFixed(1)} KB gzip`);
}
