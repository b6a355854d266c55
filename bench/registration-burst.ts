/**
 * Registration burst: 2,000 teachers register at once for a 30-seat training, through the local
 * gateway, against DynamoDB Local. Also measures the same request unloaded, side by side, so the
 * report can give the cost of contention as a ratio.
 */
import { findFreePort } from '../local/ports';
import { startWorkerThread } from '../local/worker-thread';
import type { BurstClients } from './burst-clients';
import { post } from './http';
import { startLocalStack } from '../local/stack';
import { instruments, perUnit, totalCalls } from '../local/instruments';
import { ms, summarize } from './stats';
import { cpuBetween, describeMachineBusy, describeSplit, readCpu } from './cpu';

const REQUESTS = Number(process.env.BURST_REQUESTS ?? 2_000);
const CAPACITY = 30;
const UNLOADED_SAMPLES = 50;

interface Receipt {
  status?: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
}

async function token(base: string, index: number, groups: string[]) {
  const response = await post(base, '/api/local/token', { email: `bench-${index}@bench.kz`, name: `Мұғалім ${index}`, groups });
  return response.json.token as string;
}

/** Level-0 trainings need a national trainer (cascade rules); the benchmark's trainer becomes one. */
async function designateNationalTrainer(base: string, email: string): Promise<void> {
  const admin = await post(base, '/api/local/token', { email: 'bench.admin@bench.kz', name: 'Әкімші', groups: ['admins'] });
  const response = await fetch(`${base}/api/national-trainers/${encodeURIComponent(email)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin.json.token as string}` },
  });
  if (!response.ok) throw new Error(`Designating the benchmark's trainer failed: ${response.status} ${await response.text()}`);
}

async function publishedTraining(base: string, trainerToken: string, capacity: number): Promise<string> {
  const start = Date.now() + 10 * 86_400_000;
  const created = await post(
    base,
    '/api/trainings',
    {
      title: { kk: 'Жүктеме сынағы' },
      topic: 'teacher-leadership',
      language: 'kk',
      region: 'almaty',
      level: 0,
      hours: 6,
      capacity,
      sessions: [{ startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * 3_600_000).toISOString() }],
    },
    trainerToken,
  );
  const id = created.json.id as string;
  const published = await post(base, `/api/trainings/${id}/publish`, {}, trainerToken);
  // A training that is not open would turn the burst into 2,000 quick 409s and a meaningless figure.
  if (created.status !== 201 || published.status !== 200) {
    throw new Error(`The benchmark's training could not be published: ${created.status} / ${published.status} ${JSON.stringify(published.json)}`);
  }
  return id;
}

/**
 * The ceiling DynamoDB Local sets: a waitlisted registration's three store calls (the enrolment
 * read, the ticket, the queue transaction) made directly, 64 at a time like the gateway's
 * invocations, with the consumers paused — no HTTP, token, validation or stream work.
 */
async function storeCeiling(trainingId: string, pauseConsumers: () => Promise<void>, resumeConsumers: () => Promise<void>): Promise<number> {
  const { drawWaitlistTicket, readEnrolmentState, registerOnWaitlist } = await import('../shared/store/registrations');
  await pauseConsumers();
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < REQUESTS) {
          const index = next++;
          const email = `store-${index}@bench.kz`;
          const { training } = await readEnrolmentState(trainingId, email);
          const { ticket } = await drawWaitlistTicket(trainingId);
          const now = new Date().toISOString();
          await registerOnWaitlist(training!, {
            registrationId: `store-${index}`,
            trainingId,
            email,
            fullName: `Мұғалім ${index}`,
            preferredLanguage: 'kk',
            status: 'waitlisted',
            registeredAt: now,
            source: 'self',
            waitlistTicket: ticket,
          });
        }
      }),
    );
    return Math.round((REQUESTS / (performance.now() - started)) * 1000);
  } finally {
    await resumeConsumers();
  }
}

/**
 * The 2,000 clients send from a thread of their own: on AWS they are other machines, and 2,000
 * connections' HTTP work in the gateway's event loop would be counted as the gateway's.
 */
async function burstFromAnotherThread(url: string, tokens: readonly string[]) {
  const clients = await startWorkerThread<BurstClients>(new URL('./burst-clients.ts', import.meta.url), undefined, { log: console.log });
  try {
    return await clients.call('burst', url, [...tokens]);
  } finally {
    await clients.terminate();
  }
}

export async function registrationBurst(): Promise<Record<string, string | number>> {
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  const stack = await startLocalStack({ ports, seed: false, log: () => undefined });
  try {
    const base = stack.urls.api;
    const trainerToken = await token(base, -1, ['trainers']);
    await designateNationalTrainer(base, 'bench--1@bench.kz');
    const tokens = await Promise.all(Array.from({ length: REQUESTS + UNLOADED_SAMPLES }, (_, index) => token(base, index, ['teachers'])));

    // Unloaded: one registration at a time on a training with room for all of them.
    const roomy = await publishedTraining(base, trainerToken, UNLOADED_SAMPLES);
    const unloaded: number[] = [];
    for (let index = 0; index < UNLOADED_SAMPLES; index++) {
      const result = await post(base, `/api/trainings/${roomy}/registrations`, { fullName: `Мұғалім ${index}` }, tokens[REQUESTS + index]);
      unloaded.push(result.elapsedMs);
    }

    const trainingId = await publishedTraining(base, trainerToken, CAPACITY);
    // The routes run in this thread, the consumers in the functions' thread: both counted.
    const routeCalls = await instruments();
    await stack.poller.waitForIdle({ timeoutMs: 60_000 });
    routeCalls.reset();
    await stack.poller.resetMeasurements();
    const cpuBefore = await readCpu(stack);
    const { results, wallMs, cpuMs: clientsCpuMs } = await burstFromAnotherThread(
      `${base}/api/trainings/${trainingId}/registrations`,
      tokens.slice(0, REQUESTS),
    );
    const cpu = cpuBetween(cpuBefore, await readCpu(stack), REQUESTS, clientsCpuMs);
    const registerCalls = routeCalls.calls().register;
    const consumerCalls = (await stack.poller.measurements()).calls;

    const receipts = results.map((result) => result.json as Receipt);
    const confirmed = receipts.filter((receipt) => receipt.status === 'confirmed').length;
    const waitlisted = receipts.filter((receipt) => receipt.status === 'waitlisted');
    const positions = new Set(waitlisted.map((receipt) => receipt.waitlistPosition));
    const errors = results.filter((result) => result.status !== 201).length;
    const burst = summarize(results.map((result) => result.elapsedMs));
    const quiet = summarize(unloaded);
    const fair = confirmed === CAPACITY && waitlisted.length === REQUESTS - CAPACITY && positions.size === waitlisted.length;

    const storeAlone = await storeCeiling(trainingId, () => stack.poller.stop(), () => stack.poller.start());

    return {
      requests: REQUESTS,
      capacity: CAPACITY,
      confirmed,
      waitlisted: waitlisted.length,
      'unique waitlist positions': positions.size,
      errors,
      invariants: fair ? 'hold' : 'VIOLATED',
      'wall time': ms(wallMs),
      'requests/s': Math.round((REQUESTS / wallMs) * 1000),
      'burst p50': ms(burst.p50),
      'burst p95': ms(burst.p95),
      'burst max': ms(burst.max),
      'unloaded p50': ms(quiet.p50),
      'p50 ratio burst/unloaded': (burst.p50 / quiet.p50).toFixed(1),
      'DynamoDB calls per request': `${(totalCalls({ register: registerCalls ?? {} }, 'register') / REQUESTS).toFixed(2)} (${perUnit(registerCalls, REQUESTS)})`,
      'consumer calls during the burst, per request': Object.keys(consumerCalls)
        .map((name) => `${name} ${(totalCalls(consumerCalls, name) / REQUESTS).toFixed(2)}`)
        .join(', '),
      'the same store calls alone, requests/s': storeAlone,
      'gateway ÷ store alone': ((REQUESTS / wallMs) * 1000 / storeAlone).toFixed(2),
      'CPU per request, ms (the platform, clients apart)': describeSplit(cpu),
      "clients' CPU per request, ms": (clientsCpuMs / REQUESTS).toFixed(1),
      'machine CPU busy during the burst': describeMachineBusy(cpu),
      // With every core busy on nothing else: what this CPU per request allows at most.
      'requests/s the cores allow at that CPU': Number.isFinite(cpu.perUnit.platform) ? Math.round((cpu.cores * 1000) / cpu.perUnit.platform) : 'n/a',
    };
  } finally {
    await stack.stop();
  }
}
