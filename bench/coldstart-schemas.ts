/**
 * How many zod schemas each function builds when it is imported, and in which of our modules.
 * A schema costs its construction at every cold start whether or not the function ever parses with
 * it, and esbuild keeps every top-level schema of a module a function imports, so this count is
 * what to watch when a route's import slows down (README, Cold start).
 *
 *   npm run bench:schemas                 # every deployed function
 *   npm run bench:schemas -- register,roster
 *
 * Each function is built as it ships (infra/constructs/function-bundle.ts) but unminified, so the
 * output keeps esbuild's `// path` comment before each module's code. zod's constructor is patched
 * in the build to record a stack per schema; a fresh Node process imports the bundle and counts,
 * attributing each schema to the first module on its stack that is not zod's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { functionBuildOptions } from '../infra/constructs/function-bundle';
import { repoRoot } from '../infra/constructs/service-function';
import { deployedFunctions, importEnv } from './coldstart-bundles';

/** Where zod's `$constructor` gives a new schema its internals: once per schema (zod 4). */
const constructorInit = '  function init(inst, def) {\n    if (!inst._zod) {';
const recordStack = `${constructorInit}\n      (globalThis.__schemaStacks ??= []).push(new Error().stack);`;

const probeSource = `Error.stackTraceLimit = 64;
import fs from 'node:fs';
await import(process.argv[2]);
const marks = new Map();
function moduleAt(file, line) {
  let list = marks.get(file);
  if (!list) {
    list = [];
    fs.readFileSync(file, 'utf8').split('\\n').forEach((text, index) => {
      const mark = /^\\/\\/ (\\S+\\.(?:ts|js|mjs|cjs|json))$/.exec(text);
      if (mark) list.push([index + 1, mark[1]]);
    });
    marks.set(file, list);
  }
  let name = '(unknown)';
  for (const [at, module] of list) if (at <= line) name = module; else break;
  return name;
}
const byModule = {};
const stacks = globalThis.__schemaStacks ?? [];
for (const stack of stacks) {
  let owner = '(unknown)';
  for (const frame of stack.split('\\n').slice(1)) {
    const where = /(file:\\/\\/[^\\s)]+):(\\d+):\\d+/.exec(frame);
    if (!where) continue;
    const module = moduleAt(new URL(where[1]).pathname, Number(where[2]));
    if (!module.includes('node_modules/zod/')) { owner = module; break; }
  }
  byModule[owner] = (byModule[owner] ?? 0) + 1;
}
process.stdout.write(JSON.stringify({ total: stacks.length, byModule }));
`;

interface Count {
  name: string;
  total: number;
  byModule: Record<string, number>;
}

function countSchemas(name: string, handler: string, outDir: string, probe: string): Count {
  const outdir = path.join(outDir, name);
  buildSync({ ...functionBuildOptions(repoRoot, path.join(repoRoot, handler), outdir), minify: false, sourcemap: false });
  let patched = 0;
  for (const file of fs.readdirSync(outdir).filter((entry) => entry.endsWith('.mjs'))) {
    const text = fs.readFileSync(path.join(outdir, file), 'utf8');
    if (!text.includes(constructorInit)) continue;
    fs.writeFileSync(path.join(outdir, file), text.replace(constructorInit, recordStack));
    patched++;
  }
  if (patched === 0) {
    const usesZod = fs.readdirSync(outdir).some((file) => fs.readFileSync(path.join(outdir, file), 'utf8').includes('node_modules/zod/'));
    // A zod upgrade that renames the constructor must stop the count, not report zero schemas.
    if (usesZod) throw new Error(`${name}: zod's constructor was not found in its build; update constructorInit in bench/coldstart-schemas.ts`);
    return { name, total: 0, byModule: {} };
  }
  const result = spawnSync(process.execPath, [probe, pathToFileURL(path.join(outdir, 'index.mjs')).href], { env: importEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Importing ${name} failed:\n${result.stderr}`);
  return { name, ...(JSON.parse(result.stdout) as Omit<Count, 'name'>) };
}

const wanted = process.argv[2]?.split(',').filter(Boolean);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstart-schemas-'));
try {
  const probe = path.join(scratch, 'probe.mjs');
  fs.writeFileSync(probe, probeSource);
  const functions = (await deployedFunctions(repoRoot)).filter((fn) => !wanted || wanted.includes(fn.name));
  if (functions.length === 0) throw new Error(`No deployed function is named ${wanted?.join(', ')}.`);
  const counts = functions.map((fn) => countSchemas(fn.name, fn.handler, scratch, probe)).sort((a, b) => a.total - b.total);

  console.log('| function | schemas built at import | most from |');
  console.log('|---|---:|---|');
  for (const count of counts) {
    const top = Object.entries(count.byModule).sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`| ${count.name} | ${count.total} | ${top.map(([module, n]) => `${module} ${n}`).join(', ')} |`);
  }
  const median = counts[Math.floor((counts.length - 1) / 2)]!;
  console.log(`\nmedian of ${counts.length}: ${median.total} (${median.name})`);
  const totals: Record<string, number> = {};
  for (const count of counts) for (const [module, n] of Object.entries(count.byModule)) totals[module] = (totals[module] ?? 0) + n;
  console.log('\nschemas built at import, summed over the functions, by module:');
  for (const [module, n] of Object.entries(totals).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(6)}  ${module}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
