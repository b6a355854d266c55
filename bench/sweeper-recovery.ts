/**
 * Recovery after an SES outage, and what a sweep costs.
 *
 * 1. A 200-person cohort (all present) is closed on the local stack while SES answers every send
 *    with 503: the stream retries each record and gives up (dead letters), so nothing is sent.
 * 2. SES comes back. The local clock moves on 6 minutes (as if the outage had lasted that long;
 *    the sweeper takes work older than 5 minutes) and one sweep runs at once. Measured: from "SES
 *    back up" to the last certificate email accepted by the emulator; and that every participant
 *    got exactly one. On AWS add the wait for the next tick (≤ 5 minutes, the schedule's rate).
 * 3. Sweep cost: items read by a sweep with nothing stuck, on the same table after a synthetic
 *    seed (`SWEEP_BENCH_TEACHERS`, default 8,571 = the first national training, ~30,000 items).
 *
 *   npx tsx bench/sweeper-recovery.ts
 */
import os from 'node:os';
import { findFreePort } from '../local/ports';
import { startLocalStack } from '../local/stack';
import { startThrottleProxy } from '../test/support/ses-throttle-proxy';
import { call } from './http';

const PARTICIPANTS = Number(process.env.RECOVERY_PARTICIPANTS ?? 200);
const SEED_TEACHERS = Number(process.env.SWEEP_BENCH_TEACHERS ?? 8_571);

async function main() {
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  const proxy = await startThrottleProxy(`http://127.0.0.1:${ports.ses}`, await findFreePort());
  const stack = await startLocalStack({ ports, seed: false, mailEndpoint: proxy.url, log: () => undefined });
  const outage = (down: boolean) => fetch(`${proxy.url}/__outage`, { method: 'POST', body: JSON.stringify({ down }) });
  try {
    const base = stack.urls.api;
    const { ses } = await import('../shared/mail/client');
    const { sweep } = await import('../shared/usecases/sweeper');
    const accepted: { at: number; to: string }[] = [];
    ses.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const input = args.input as { Destination?: { ToAddresses?: string[] } };
        accepted.push({ at: performance.now(), to: input.Destination?.ToAddresses?.[0] ?? '' });
        return result;
      },
      { step: 'initialize', name: 'benchAccepted' },
    );

    const token = (await call(base, 'POST', '/api/local/token', { json: { email: 'bench.trainer@bench.kz', name: 'Ерлан Жақыпов', groups: ['trainers'] } })).token as string;
    const adminToken = (await call(base, 'POST', '/api/local/token', { json: { email: 'bench.admin@bench.kz', name: 'Әкімші', groups: ['admins'] } })).token as string;
    await call(base, 'PUT', `/api/national-trainers/${encodeURIComponent('bench.trainer@bench.kz')}`, { token: adminToken });
    const start = Math.floor((Date.now() + 10 * 86_400_000) / 60_000) * 60_000;
    const training = await call(base, 'POST', '/api/trainings', {
      token,
      json: {
        title: { kk: 'Мұғалім — көшбасшы', en: 'Teacher as Leader' },
        topic: 'teacher-leadership',
        language: 'kk',
        region: 'almaty',
        level: 0,
        hours: 3,
        capacity: PARTICIPANTS,
        feedbackRequired: false,
        sessions: [{ startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * 3_600_000).toISOString() }],
      },
    });
    const id = training.id as string;
    const session = (training.sessions as { id: string }[])[0]!.id;
    await call(base, 'POST', `/api/trainings/${id}/publish`, { token });
    const rows = Array.from({ length: PARTICIPANTS }, (_, index) => `bench-${index}@bench.kz,Мұғалім ${index}`);
    // Setup, not measured: small files stay inside the import route's 29 s on a busy machine.
    for (let index = 0; index < rows.length; index += 50) {
      await call(base, 'POST', `/api/trainings/${id}/registrations/import`, { token, csv: `email,full name\n${rows.slice(index, index + 50).join('\n')}\n` });
    }
    const roster: { registrationId: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(base, 'GET', `/api/trainings/${id}/registrations?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token });
      roster.push(...(page.items as { registrationId: string }[]));
      cursor = page.nextCursor as string | undefined;
    } while (cursor);
    await call(base, 'POST', '/api/local/clock', { json: { now: new Date(start + 30 * 60_000).toISOString() } });
    await call(base, 'PUT', `/api/trainings/${id}/sessions/${session}/attendance`, {
      token,
      json: { records: roster.map(({ registrationId }) => ({ registrationId, status: 'present' })) },
    });
    const afterEnd = start + 4 * 3_600_000;
    await call(base, 'POST', '/api/local/clock', { json: { now: new Date(afterEnd).toISOString() } });
    await stack.poller.waitForIdle({ timeoutMs: 120_000 });

    // The outage: every issuance fails through all its retries.
    await outage(true);
    const closedAt = performance.now();
    await call(base, 'POST', `/api/trainings/${id}/close`, { token });
    await stack.poller.waitForIdle({ timeoutMs: 300_000 });
    const givenUpMs = performance.now() - closedAt;
    const deadLetters = (await stack.poller.listDeadLetters()).length;
    const refused = ((await (await fetch(`${proxy.url}/__outage`)).json()) as { refused: number }).refused;
    accepted.length = 0;

    // SES is back.
    await outage(false);
    const backAt = performance.now();
    await call(base, 'POST', '/api/local/clock', { json: { now: new Date(afterEnd + 6 * 60_000).toISOString() } });
    const report = await sweep();
    const sweepMs = performance.now() - backAt;
    await stack.poller.waitForIdle({ timeoutMs: 300_000 });
    const certificateMails = accepted.filter((mail) => mail.to.endsWith('@bench.kz') && mail.to.startsWith('bench-'));
    const lastMs = (certificateMails.at(-1)?.at ?? Number.NaN) - backAt;
    const recipients = new Set(certificateMails.map((mail) => mail.to));
    const progress = (await call(base, 'GET', `/api/trainings/${id}/issuance`, { token })) as { summary: Record<string, number> };
    const quiet = await sweep();

    // Sweep cost on a seeded table: the index holds only open work, so the table's size does not matter.
    await stack.poller.stop();
    const { seedSynthetic } = await import('../scripts/synthetic');
    const seeded = await seedSynthetic({ teachers: SEED_TEACHERS, year: 2026 });
    const costStarted = performance.now();
    const seededSweep = await sweep();
    const seededSweepMs = performance.now() - costStarted;

    return {
      participants: PARTICIPANTS,
      'outage: close → stream gave up (s)': Number((givenUpMs / 1000).toFixed(1)),
      'outage: sends refused / dead letters': `${refused} / ${deadLetters}`,
      'sweep: stuck items found (issuance)': report.found.issuance,
      'sweep: items read': report.itemsRead,
      'sweep run (s)': Number((sweepMs / 1000).toFixed(1)),
      '**SES back up → last certificate email (s)**': Number((lastMs / 1000).toFixed(1)),
      'certificate emails / distinct recipients': `${certificateMails.length} / ${recipients.size}`,
      'issued / emailed / pending (issuance view)': `${progress.summary.issued} / ${progress.summary.emailed} / ${progress.summary.pending}`,
      'next sweep: found / items read': `${Object.values(quiet.found).reduce((a, b) => a + b, 0)} / ${quiet.itemsRead}`,
      'seeded table: items / certificates': `${seeded.items} / ${seeded.certificates}`,
      'sweep on the seeded table: items read / ms': `${seededSweep.itemsRead} / ${seededSweepMs.toFixed(1)}`,
      'machine load average (1 min)': Number((os.loadavg()[0] ?? Number.NaN).toFixed(1)),
    };
  } finally {
    await stack.stop();
    await proxy.stop();
  }
}

console.log(`\nsweeper recovery (node ${process.version}, ${os.cpus().length} cores): ${PARTICIPANTS} participants closed during an SES outage`);
const result = await main();
console.table(result);
