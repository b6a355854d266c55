/**
 * `npm run bench:reports`: the reports over a synthetic year (BENCH_TEACHERS teachers, default
 * 300,000 → ~370,000 certificates) in DynamoDB Local, measured side by side in one run against the
 * same year cut to its first national training: does a report slow down as the table grows 35-fold?
 *
 * Per stage: seed, reconcile building the aggregates, reconcile again (recompute and compare
 * everything), region reports and the all-regions report through the gateway (p50/p95, items
 * read), and a national training's cascade tree paged through. The first stage also times
 * reconcile with 4 long Scan segments, as it was before segments were sized by the table.
 */
import os from 'node:os';
import { findFreePort } from '../local/ports';
import { startLocalStack } from '../local/stack';
import { demoAccounts } from '../local/demo-accounts';
import { ms, summarize } from './stats';

const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 300_000);
const YEAR = 2026;
const REGION_REQUESTS = Number(process.env.BENCH_REGION_REQUESTS ?? 200);
const ALL_REGIONS_REQUESTS = 20;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

async function getJson(url: string, token: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  return timed(async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }).then(({ value, ms: elapsed }) => ({ ...value, ms: elapsed }));
}

type Row = Record<string, string | number>;

export async function reportsBenchmark(): Promise<Record<string, Row>> {
  // A million items outgrow the 1 GB heap that serves the app and the tests; this machine has 24 GiB.
  process.env.DYNAMODB_LOCAL_HEAP ??= '6g';
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  // In memory: DynamoDB Local on disk (SQLite) writes a few hundred items a second on this machine,
  // and both stages must start from an empty table.
  const stack = await startLocalStack({ ports, seed: false, log: () => undefined });
  // The aggregates are built by reconcile here: replaying a million seed records through the
  // local poller would measure the poller, not the reports.
  await stack.poller.stop();
  try {
    const { seedSynthetic, nationalCount } = await import('../scripts/synthetic');
    const { reconcile } = await import('../shared/usecases/reconcile');
    const { regionMonths } = await import('../shared/store/aggregates');
    const { regions } = await import('../shared/config/regions');

    const tokenResponse = await fetch(`${stack.urls.api}/api/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(demoAccounts.admin),
    });
    const { token } = (await tokenResponse.json()) as { token: string };

    const stage = async (teachers: number, options: { compareLongSegments: boolean }) => {
      let lastLogged = 0;
      const seeded = await timed(() =>
        seedSynthetic({
          teachers,
          year: YEAR,
          onProgress: (done, total) => {
            if (Date.now() - lastLogged > 30_000 || done === total) {
              lastLogged = Date.now();
              console.error(`seed (${teachers} teachers): ${done}/${total} national trainings`);
            }
          },
        }),
      );
      const build = await timed(() => reconcile({ repair: true, markers: false }));
      const recheck = await timed(() => reconcile({ repair: false }));
      const longSegments = options.compareLongSegments ? await timed(() => reconcile({ repair: false, segments: 4 })) : undefined;

      const latencies: number[] = [];
      const itemsRead: number[] = [];
      for (let index = 0; index < REGION_REQUESTS; index++) {
        const region = regions[index % regions.length]!.id;
        const response = await getJson(`${stack.urls.api}/api/reports/regions/${region}?from=${YEAR}-01&to=${YEAR}-12`, token);
        if (response.status !== 200) throw new Error(`region report ${region}: ${response.status}`);
        latencies.push(response.ms);
        itemsRead.push((await regionMonths(region, `${YEAR}-01`, `${YEAR}-12`)).length);
      }
      const allRegions: number[] = [];
      for (let index = 0; index < ALL_REGIONS_REQUESTS; index++) {
        const response = await getJson(`${stack.urls.api}/api/reports/regions`, token);
        if (response.status !== 200) throw new Error(`all regions report: ${response.status}`);
        allRegions.push(response.ms);
      }

      const rootId = `syn${YEAR}-n0`;
      let cursor: string | undefined;
      let nodes = 0;
      let pages = 0;
      let firstPageMs = 0;
      let summary: Record<string, unknown> = {};
      const tree = await timed(async () => {
        do {
          const page = await getJson(
            `${stack.urls.api}/api/reports/cascade/${rootId}?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
            token,
          );
          if (page.status !== 200) throw new Error(`cascade report: ${page.status}`);
          if (pages === 0) {
            firstPageMs = page.ms;
            summary = page.body.summary as Record<string, unknown>;
          }
          pages++;
          nodes += (page.body.nodes as unknown[]).length;
          cursor = page.body.nextCursor as string | undefined;
        } while (cursor);
      });

      const region = summarize(latencies);
      return {
        teachers,
        nationals: seeded.value.nationals,
        sourceItems: build.value.sourceItems,
        certificates: seeded.value.certificates,
        seedMs: seeded.ms,
        reused: seeded.value.resumedAt === seeded.value.nationals,
        buildMs: build.ms,
        built: build.value.driftItems,
        recheckMs: recheck.ms,
        drifted: recheck.value.driftItems,
        longSegmentsMs: longSegments?.ms,
        regionP50: region.p50,
        regionP95: region.p95,
        itemsReadMax: Math.max(...itemsRead),
        allRegionsP50: summarize(allRegions).p50,
        reach: Number(summary.reach),
        nodes,
        firstPageMs,
        treeMs: tree.ms,
        pages,
      };
    };

    // The first national training alone is one national's worth of teachers; the full year then
    // writes the same items again (the seed is deterministic) and the other 34 after them.
    const nationals = nationalCount(TEACHERS);
    const small = await stage(Math.round(TEACHERS / nationals), { compareLongSegments: true });
    const full = await stage(TEACHERS, { compareLongSegments: false });

    const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    const column = (result: typeof small) => ({
      teachers: result.teachers,
      'national trainings': result.nationals,
      'source items': result.sourceItems,
      'certificates (this stage wrote)': result.certificates,
      'seed time': `${seconds(result.seedMs)}${result.reused ? ' (reused)' : ''}`,
      'reconcile, building the aggregates': `${seconds(result.buildMs)} (${result.built} items written)`,
      'reconcile, recompute and compare': `${seconds(result.recheckMs)} (${result.drifted} items drifted)`,
      'reconcile, 4 long Scan segments (before)': result.longSegmentsMs === undefined ? '—' : seconds(result.longSegmentsMs),
      'region report (12 months) p50': ms(result.regionP50),
      'region report p95': ms(result.regionP95),
      'region report items read (max)': result.itemsReadMax,
      'all regions report p50': ms(result.allRegionsP50),
      'cascade: people reached from one national training': result.reach,
      'cascade: trainings in the tree': result.nodes,
      'cascade: first page (500 nodes + summary)': ms(result.firstPageMs),
      'cascade: whole tree': `${ms(result.treeMs)} in ${result.pages} page${result.pages === 1 ? '' : 's'}`,
    });
    const smallColumn = column(small);
    const fullColumn = column(full);
    const ratios: Partial<Record<keyof typeof smallColumn, string>> = {
      'source items': ratio(small.sourceItems, full.sourceItems),
      'reconcile, recompute and compare': ratio(small.recheckMs, full.recheckMs),
      'reconcile, 4 long Scan segments (before)':
        small.longSegmentsMs === undefined ? '—' : `${ratio(small.recheckMs, small.longSegmentsMs)} the sized Scan, same table`,
      'region report (12 months) p50': ratio(small.regionP50, full.regionP50),
      'region report p95': ratio(small.regionP95, full.regionP95),
      'all regions report p50': ratio(small.allRegionsP50, full.allRegionsP50),
      'cascade: first page (500 nodes + summary)': ratio(small.firstPageMs, full.firstPageMs),
    };
    return Object.fromEntries(
      Object.keys(smallColumn).map((name) => {
        const key = name as keyof typeof smallColumn;
        return [name, { 'first national training': smallColumn[key], 'full year': fullColumn[key], 'full ÷ first': ratios[key] ?? '' }];
      }),
    );
  } finally {
    await stack.stop();
  }
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
console.table(await reportsBenchmark());
