/**
 * Cold start of every function: bundle size and the time a fresh Node process takes to import
 * the bundle (what Lambda does before the first invocation), side by side with a baseline commit
 * and with a floor bundle holding only the DynamoDB document client.
 *
 *   npm run bench:coldstart                      # baseline: see defaultBaseline()
 *   BENCH_BASELINE=<ref> npm run bench:coldstart # any commit, tag or branch
 *   BENCH_BASELINE=none npm run bench:coldstart  # this tree and the floor only
 *   BENCH_RUNS=5 (default)                       # imports per bundle; the median is reported
 *
 * Bundles are built as ServiceFunction ships them (infra/constructs/function-bundle.ts, through
 * bench/coldstart-bundles.ts), the baseline's from its own sources, manifest and bundling code in a
 * temporary git worktree (with this tree's node_modules). A bundle's KB is what a cold start
 * loads: index.mjs and the chunks it imports statically; the lazy chunks are counted apart. Each import runs in its own
 * `node --enable-source-maps` process, as the functions run on Lambda; the runs of this tree, the
 * baseline and the floor alternate, so a machine that speeds up or slows down affects all three.
 *
 * Targets (issue 16): median bundle ≤ 500 KB and none above 1 MB of code; median import ≤ 1.5×
 * the floor; the workflow consumer ≤ 2.5× the floor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../infra/constructs/service-function';
import { buildFloor, buildTree, importEnv, type BuiltFunction } from './coldstart-bundles';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const targets = { medianKb: 500, maxKb: 1024, medianVsFloor: 1.5, workflowVsFloor: 2.5 };

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The newest tag if the history has one; otherwise where this branch left `main` (its
 * merge-base), or, on main itself, the previous commit.
 */
function defaultBaseline(): string {
  try {
    return git('describe', '--tags', '--abbrev=0');
  } catch {
    // No tags yet.
  }
  const head = git('rev-parse', 'HEAD');
  try {
    const base = git('merge-base', 'HEAD', 'main');
    if (base !== head) return base;
  } catch {
    // No local main (a detached checkout): fall through.
  }
  return 'HEAD~1';
}


const probeSource = `const start = performance.now();
await import(process.argv[2]);
process.stdout.write(String(performance.now() - start));
`;

function importMs(probe: string, bundle: BuiltFunction): number {
  const result = spawnSync(process.execPath, ['--enable-source-maps', probe, pathToFileURL(bundle.file).href], {
    env: importEnv,
    encoding: 'utf8',
  });
  const value = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(value)) {
    throw new Error(`Importing ${bundle.name} (${bundle.file}) failed:\n${result.stderr}`);
  }
  return value;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const kb = (bytes: number) => bytes / 1024;
const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

async function baselineTree(ref: string, scratch: string): Promise<string> {
  const dir = path.join(scratch, 'baseline-tree');
  git('worktree', 'add', '--detach', '--force', dir, ref);
  // The baseline's sources with this tree's installed packages: installing its lockfile would
  // take minutes. Dependency versions the baseline locked differently are named below.
  await fs.symlink(await fs.realpath(path.join(repoRoot, 'node_modules')), path.join(dir, 'node_modules'));
  const [ours, theirs] = await Promise.all(
    [repoRoot, dir].map(async (root) => JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }),
  );
  const differing = Object.entries(theirs!.dependencies ?? {}).filter(([name, version]) => ours!.dependencies?.[name] !== undefined && ours!.dependencies[name] !== version);
  if (differing.length > 0) console.log(`note: baseline locks other versions of ${differing.map(([name]) => name).join(', ')}; bundled with this tree's`);
  return dir;
}

interface Row {
  name: string;
  current: BuiltFunction;
  baseline?: BuiltFunction;
  currentMs: number[];
  baselineMs: number[];
}

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'coldstart-'));
const baselineRef = process.env.BENCH_BASELINE ?? defaultBaseline();
const withBaseline = baselineRef !== 'none';
let baselineRoot: string | undefined;
try {
  console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);
  const started = performance.now();
  const current = await buildTree(repoRoot, path.join(scratch, 'current'));
  const floor = await buildFloor(repoRoot, path.join(scratch, 'current'));
  let baseline: BuiltFunction[] = [];
  let baselineLabel = '';
  if (withBaseline) {
    baselineRoot = await baselineTree(baselineRef, scratch);
    baselineLabel = `${baselineRef} (${git('rev-parse', '--short', baselineRef)})`;
    baseline = await buildTree(baselineRoot, path.join(scratch, 'baseline'));
  }
  console.log(`built ${current.length} bundles${withBaseline ? ` and ${baseline.length} of ${baselineLabel}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const probe = path.join(scratch, 'probe.mjs');
  await fs.writeFile(probe, probeSource);
  const rows: Row[] = current.map((bundle) => ({
    name: bundle.name,
    current: bundle,
    baseline: baseline.find((other) => other.name === bundle.name),
    currentMs: [],
    baselineMs: [],
  }));
  const floorMs: number[] = [];

  // One warm-up pass (file cache, the first spawn), then the counted runs, interleaved.
  for (let run = -1; run < runs; run += 1) {
    for (const [index, row] of rows.entries()) {
      const ours = importMs(probe, row.current);
      const theirs = row.baseline ? importMs(probe, row.baseline) : undefined;
      // The floor every few functions, so it sees the same machine as they do.
      const floorRun = index % 8 === 0 ? importMs(probe, floor) : undefined;
      if (run < 0) continue;
      row.currentMs.push(ours);
      if (theirs !== undefined) row.baselineMs.push(theirs);
      if (floorRun !== undefined) floorMs.push(floorRun);
    }
    process.stdout.write(run < 0 ? 'warm-up done\n' : `run ${run + 1}/${runs} done (load ${load()})\n`);
  }

  const floorMedian = median(floorMs);
  const header = ['function', 'KB', 'shipped KB', 'import ms', '× floor', ...(withBaseline ? ['baseline KB', 'baseline ms', 'ms ÷ baseline'] : [])];
  const lines = rows.map((row) => {
    const ms = median(row.currentMs);
    const baseMs = row.baselineMs.length > 0 ? median(row.baselineMs) : undefined;
    return [
      row.name,
      fixed(kb(row.current.codeBytes)),
      fixed(kb(row.current.shippedBytes)),
      fixed(ms),
      fixed(ms / floorMedian, 2),
      ...(withBaseline
        ? [fixed(row.baseline && kb(row.baseline.codeBytes)), fixed(baseMs), fixed(baseMs === undefined ? undefined : ms / baseMs, 2)]
        : []),
    ];
  });
  const sizes = rows.map((row) => kb(row.current.codeBytes));
  const times = rows.map((row) => median(row.currentMs));
  const paired = rows.filter((row) => row.baseline);
  const baseSizes = paired.map((row) => kb(row.baseline!.codeBytes));
  const baseTimes = paired.map((row) => median(row.baselineMs));
  const medianMs = median(times);
  lines.push([
    'median',
    fixed(median(sizes)),
    fixed(median(rows.map((row) => kb(row.current.shippedBytes)))),
    fixed(medianMs),
    fixed(medianMs / floorMedian, 2),
    ...(withBaseline ? [fixed(median(baseSizes)), fixed(median(baseTimes)), fixed(medianMs / median(baseTimes), 2)] : []),
  ]);
  lines.push(['floor (DynamoDBDocumentClient)', fixed(kb(floor.codeBytes)), fixed(kb(floor.shippedBytes)), fixed(floorMedian), '1.00', ...(withBaseline ? ['', '', ''] : [])]);

  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: readonly string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  console.log(
    `\n${runs} imports per bundle in fresh \`node --enable-source-maps\` processes, medians; KB: index.mjs and the chunks it imports statically, what a cold start loads; shipped KB: every chunk, lazy ones too (no maps, no fonts)`,
  );
  console.log(format(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
  for (const line of lines) console.log(format(line));

  const workflow = rows.find((row) => row.name === 'workflow');
  const largest = rows.reduce((a, b) => (a.current.codeBytes >= b.current.codeBytes ? a : b));
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`\ntargets:`);
  console.log(`  median bundle ${fixed(median(sizes))} KB ≤ ${targets.medianKb} KB: ${verdict(median(sizes) <= targets.medianKb)}`);
  console.log(`  largest bundle ${largest.name} ${fixed(kb(largest.current.codeBytes))} KB ≤ ${targets.maxKb} KB: ${verdict(kb(largest.current.codeBytes) <= targets.maxKb)}`);
  console.log(`  median import ${fixed(medianMs / floorMedian, 2)}× the floor ≤ ${targets.medianVsFloor}×: ${verdict(medianMs / floorMedian <= targets.medianVsFloor)}`);
  if (workflow) {
    const ratio = median(workflow.currentMs) / floorMedian;
    console.log(`  workflow consumer ${fixed(ratio, 2)}× the floor ≤ ${targets.workflowVsFloor}×: ${verdict(ratio <= targets.workflowVsFloor)}`);
  }
  console.log(`load average at end: ${load()}`);
} finally {
  if (baselineRoot) git('worktree', 'remove', '--force', baselineRoot);
  await fs.rm(scratch, { recursive: true, force: true });
}
