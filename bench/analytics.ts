/**
 * Analytics consumer throughput: a registration burst's stream records handed to the consumer at
 * once. The stream poller is paused while N registrations are imported (so the records wait in
 * the stream, as they do behind a busy consumer), then resumed; the clock runs until the region's
 * month aggregate counts all N. The workflow consumer drains the same records beside it (the
 * confirmation emails), as it does after a real burst. Target: ≥ 300 records per second.
 *
 *   npm run bench:analytics      (ANALYTICS_RECORDS=… to change N, default 2,000)
 */
import os from 'node:os';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { counterName, monthOf } from '../shared/domain/aggregates';
import { findFreePort } from '../local/ports';
import { startLocalStack, TABLE_NAME } from '../local/stack';
import { perUnit, totalCalls } from '../local/instruments';
import { call, nationalTrainerToken } from './http';

const RECORDS = Number(process.env.ANALYTICS_RECORDS ?? 2_000);
const TARGET_PER_SECOND = 300;
const TOPIC = 'teacher-leadership';

export async function analyticsThroughput() {
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  const stack = await startLocalStack({ ports, seed: false, log: () => undefined });
  try {
    const base = stack.urls.api;
    await stack.poller.resetMeasurements();
    const { documentClient } = await import('../shared/store/client');
    const { aggregateKeys } = await import('../shared/store/keys');
    const token = await nationalTrainerToken(base);
    const start = Math.floor((Date.now() + 10 * 86_400_000) / 60_000) * 60_000;
    const startsAt = new Date(start).toISOString();
    const training = await call(base, 'POST', '/api/trainings', {
      token,
      json: {
        title: { kk: 'Аналитика сынағы' },
        topic: TOPIC,
        language: 'kk',
        region: 'almaty',
        level: 0,
        hours: 3,
        capacity: RECORDS,
        feedbackRequired: false,
        sessions: [{ startsAt, endsAt: new Date(start + 3 * 3_600_000).toISOString() }],
      },
    });
    const id = training.id as string;
    await call(base, 'POST', `/api/trainings/${id}/publish`, { token });
    await stack.poller.waitForIdle({ timeoutMs: 60_000 });

    // The records pile up in the stream while the consumers are paused.
    await stack.poller.stop();
    for (let index = 0; index < RECORDS; index += 200) {
      const rows = Array.from({ length: Math.min(200, RECORDS - index) }, (_, offset) => `bench-${index + offset}@bench.kz,Мұғалім ${index + offset}`);
      await call(base, 'POST', `/api/trainings/${id}/registrations/import`, { token, csv: `email,full name\n${rows.join('\n')}\n` });
    }

    const key = aggregateKeys.regionMonth('almaty', monthOf(startsAt));
    const counter = counterName('registrations', 0, TOPIC);
    const counted = async () => {
      const { Item } = await documentClient.send(new GetCommand({ TableName: TABLE_NAME, Key: key, ConsistentRead: true }));
      return typeof Item?.[counter] === 'number' ? Item[counter] : 0;
    };
    await stack.poller.resetMeasurements();
    const cpuBefore = process.cpuUsage();
    const resumedAt = performance.now();
    await stack.poller.start();
    let applied = 0;
    while (applied < RECORDS && performance.now() - resumedAt < 600_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      applied = await counted();
    }
    const drainMs = performance.now() - resumedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const { calls } = await stack.poller.measurements();
    const analyticsCalls = calls.analytics;
    const perSecond = (applied / drainMs) * 1000;
    await stack.poller.waitForIdle({ timeoutMs: 120_000 });
    return {
      'stream records (registrations)': RECORDS,
      'applied by the analytics consumer': applied,
      'time to drain (ms)': Math.round(drainMs),
      'records per second': Math.round(perSecond),
      'DynamoDB calls per record (analytics)': Number((totalCalls(calls, 'analytics') / RECORDS).toFixed(3)),
      'by command': perUnit(analyticsCalls, RECORDS),
      'CPU s, Node (both consumers, emulators)': Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      'machine load average (1 min)': Number((os.loadavg()[0] ?? Number.NaN).toFixed(1)),
      target: applied === RECORDS && perSecond >= TARGET_PER_SECOND ? 'met' : 'MISSED',
    };
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`\nanalytics consumer (node ${process.version}, ${os.cpus().length} cores): ${RECORDS} registration records waiting in the stream`);
  const result = await analyticsThroughput();
  console.table(result);
  if (result.target !== 'met') process.exitCode = 1;
}
