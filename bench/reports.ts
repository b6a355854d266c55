/**
 * `npm run bench:reports`: a synthetic year (BENCH_TEACHERS teachers, default 300,000 → ~370,000
 * certificates) in DynamoDB Local, then: reconcile building the aggregates, reconcile again (the time to
 * recompute and compare everything), region reports through the gateway (p50/p95, items read),
 * and a national training's cascade tree paged through.
 */
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../local/ports';
import { startLocalStack } from '../local/stack';
import { demoAccounts } from '../local/demo-accounts';
import { ms, summarize } from './stats';

const TEACHERS = Number(process.env.BENCH_TEACHERS ?? 300_000);
const YEAR = 2026;
const REGION_REQUESTS = Number(process.env.BENCH_REGION_REQUESTS ?? 200);

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

export async function reportsBenchmark(): Promise<Record<string, string | number>> {
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  // In memory by default: DynamoDB Local on disk (SQLite) writes a few hundred items a second on
  // this machine. BENCH_ON_DISK=1 keeps the data under .data/bench, where a stopped seed resumes.
  const stack = await startLocalStack({
    ports,
    seed: false,
    ...(process.env.BENCH_ON_DISK === '1' ? { dataDirectory: path.resolve(import.meta.dirname, '..', '.data', 'bench') } : {}),
    log: () => undefined,
  });
  // The aggregates are built by reconcile here: replaying a million seed records through the
  // local poller would measure the poller, not the reports.
  await stack.poller.stop();
  try {
    const { seedSynthetic } = await import('../scripts/synthetic');
    const { reconcile } = await import('../shared/usecases/reconcile');
    const { regionMonths } = await import('../shared/store/aggregates');
    const { regions } = await import('../shared/config/regions');

    let lastLogged = 0;
    const seeded = await timed(() =>
      seedSynthetic({
        teachers: TEACHERS,
        year: YEAR,
        onProgress: (done, total) => {
          if (Date.now() - lastLogged > 30_000 || done === total) {
            lastLogged = Date.now();
            console.error(`seed: ${done}/${total} national trainings`);
          }
        },
      }),
    );
    const build = await timed(() => reconcile({ repair: true, markers: false, segments: 4 }));
    const recheck = await timed(() => reconcile({ repair: false, segments: 4 }));

    const tokenResponse = await fetch(`${stack.urls.api}/api/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(demoAccounts.admin),
    });
    const { token } = (await tokenResponse.json()) as { token: string };

    const latencies: number[] = [];
    const itemsRead: number[] = [];
    for (let index = 0; index < REGION_REQUESTS; index++) {
      const region = regions[index % regions.length]!.id;
      const response = await getJson(`${stack.urls.api}/api/reports/regions/${region}?from=${YEAR}-01&to=${YEAR}-12`, token);
      if (response.status !== 200) throw new Error(`region report ${region}: ${response.status}`);
      latencies.push(response.ms);
      itemsRead.push((await regionMonths(region, `${YEAR}-01`, `${YEAR}-12`)).length);
    }
    const all = await getJson(`${stack.urls.api}/api/reports/regions`, token);

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
      teachers: TEACHERS,
      'national trainings': seeded.value.nationals,
      'source items': build.value.sourceItems,
      'seed time (this run)': `${(seeded.ms / 1000).toFixed(0)} s${seeded.value.resumedAt === seeded.value.nationals ? ' (reused)' : ''}`,
      'reconcile, building the aggregates': `${(build.ms / 1000).toFixed(1)} s (${build.value.driftItems} items written)`,
      'reconcile, recompute and compare': `${(recheck.ms / 1000).toFixed(1)} s (${recheck.value.driftItems} items drifted)`,
      'region report (12 months) p50': ms(region.p50),
      'region report p95': ms(region.p95),
      'region report items read (max)': Math.max(...itemsRead),
      'all regions report': ms(all.ms),
      'cascade: people reached from one national training': Number(summary.reach),
      'cascade: trainings in the tree': nodes,
      'cascade: first page (500 nodes + summary)': ms(firstPageMs),
      'cascade: whole tree': `${ms(tree.ms)} in ${pages} pages`,
    };
  } finally {
    await stack.stop();
  }
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
console.table(await reportsBenchmark());
