/**
 * Certificate pipeline: a 1,000-participant training closed on the local stack → 1,000
 * certificates issued, stored in S3 and emailed into the SES emulator, through the gateway, the
 * stream poller and the workflow consumer. Budget: ≤ 20 s from the close on a quiet machine (≤ 30 s
 * beside another test suite), 0 duplicates, 0 lost, ≤ 6 DynamoDB calls per issuance (counted by a
 * middleware on the handlers' document client, not estimated).
 *
 *   npx tsx bench/certificates-pipeline.ts      (PIPELINE_PARTICIPANTS=… to change the size)
 */
import os from 'node:os';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { findFreePort } from '../local/ports';
import { CERTIFICATES_BUCKET, startLocalStack } from '../local/stack';
import { perUnit, totalCalls } from '../local/instruments';
import { call, nationalTrainerToken } from './http';
import { percentile } from './stats';
import { cpuBetween, describeMachineBusy, describeSplit, readCpu } from './cpu';

const PARTICIPANTS = Number(process.env.PIPELINE_PARTICIPANTS ?? 1_000);
const BUDGET_MS = 30_000;
const QUIET_BUDGET_MS = 20_000;
const MAX_CALLS_PER_ISSUANCE = 6;
/** One file: the import route takes a whole cohort (MAX_IMPORT_ROWS is 2,000). */
const IMPORT_ROWS = 2_000;

const names = ['Әлия Ғалымжанқызы', 'Құралай Серікқызы', 'Өмірзақ Бауыржанұлы', 'Ұлжан Қайратқызы', 'Үміт Һасанова', 'Іңкәр Төлеген', 'Мария Иванова'];

export async function certificatePipeline() {
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  const stack = await startLocalStack({ ports, seed: false, log: () => undefined });
  try {
    const base = stack.urls.api;
    // The consumers run in their own thread; its instruments count their requests and emails.
    await stack.poller.resetMeasurements();
    const token = await nationalTrainerToken(base);
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

    const rows = Array.from({ length: PARTICIPANTS }, (_, index) => `bench-${index}@bench.kz,${names[index % names.length]} ${index}`);
    // Setup, not measured: the whole cohort in one file, as a coordinator sends it (the import seats
    // rows in transactions of up to 98, so 1,000 rows stay well inside the route's 29 s).
    let slowestImportMs = 0;
    for (let index = 0; index < rows.length; index += IMPORT_ROWS) {
      const file = `email,full name\n${rows.slice(index, index + IMPORT_ROWS).join('\n')}\n`;
      const importedAt = performance.now();
      await call(base, 'POST', `/api/trainings/${id}/registrations/import`, { token, csv: file });
      slowestImportMs = Math.max(slowestImportMs, performance.now() - importedAt);
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
    await call(base, 'POST', '/api/local/clock', { json: { now: new Date(start + 4 * 3_600_000).toISOString() } });
    // The confirmation emails of the import are not part of the measurement: a one-file import
    // leaves all 1,000 of them to send at once, longer than the poller's default wait.
    await stack.poller.waitForIdle({ timeoutMs: 180_000 });
    await stack.poller.resetMeasurements();

    const cpuBefore = await readCpu(stack);
    const closedAt = performance.now();
    const closedAtEpoch = performance.timeOrigin + closedAt;
    await call(base, 'POST', `/api/trainings/${id}/close`, { token });
    const closeResponseMs = performance.now() - closedAt;
    let sentAt: number[] = [];
    let progress: { summary: Record<string, number> } = { summary: {} };
    while (performance.now() - closedAt < 5 * BUDGET_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      sentAt = (await stack.poller.measurements()).emailsSentAt;
      if (sentAt.length < PARTICIPANTS) continue;
      await stack.poller.waitForIdle();
      progress = (await call(base, 'GET', `/api/trainings/${id}/issuance`, { token })) as typeof progress;
      if (progress.summary.emailed === PARTICIPANTS) break;
    }
    // The workflow consumer's requests until the last email: the issuances (the close's own writes are the gateway's).
    const measured = await stack.poller.measurements();
    const workflowCalls = totalCalls(measured.calls, 'workflow');
    const workflowCommands = measured.calls.workflow;
    const offsets = measured.emailsSentAt.map((at) => at - closedAtEpoch).sort((a, b) => a - b);
    const cpu = cpuBetween(cpuBefore, await readCpu(stack), PARTICIPANTS);
    const loadAverage = os.loadavg()[0] ?? Number.NaN;

    // Invariants, from the emulators themselves: one email and one PDF per participant.
    const store = (await (await fetch(`${stack.urls.sesInbox}store`)).json()) as { emails: { destination: { to: string[] }; subject: string }[] };
    const certificateEmails = store.emails.filter((email) => email.subject.startsWith('Сертификатыңыз') && email.destination.to.some((to) => to.includes('@bench.kz')));
    const recipients = new Set(certificateEmails.map((email) => email.destination.to.join(',')));
    const s3 = new S3Client({ endpoint: stack.urls.s3, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    let objects = 0;
    let token2: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: CERTIFICATES_BUCKET, Prefix: 'certificates/', ContinuationToken: token2 }));
      objects += page.KeyCount ?? 0;
      token2 = page.NextContinuationToken;
    } while (token2);
    s3.destroy();

    const totalMs = offsets.at(-1) ?? Number.NaN;
    return {
      participants: PARTICIPANTS,
      [`setup: import of ${PARTICIPANTS} rows in one file (ms)`]: Math.round(slowestImportMs),
      'close request (ms)': Math.round(closeResponseMs),
      'time to first email (ms)': Math.round(offsets[0] ?? Number.NaN),
      'time to median email (ms)': Math.round(percentile(offsets, 0.5)),
      'total, close → last email (ms)': Math.round(totalMs),
      'emails per second': Number(((PARTICIPANTS / totalMs) * 1000).toFixed(1)),
      'DynamoDB calls per issuance (workflow consumer)': Number((workflowCalls / PARTICIPANTS).toFixed(2)),
      'by command': perUnit(workflowCommands, PARTICIPANTS),
      // From the close to the last email: every part of the runtime, DynamoDB Local's JVM included.
      'CPU per issuance, ms': describeSplit(cpu),
      'CPU s in all / on the cores, s at best': `${cpu.platformSeconds.toFixed(1)} / ${(cpu.platformSeconds / cpu.cores).toFixed(1)}`,
      'machine CPU busy': describeMachineBusy(cpu),
      'machine load average (1 min)': Number(loadAverage.toFixed(1)),
      'issued / emailed (issuance view)': `${progress.summary.issued} / ${progress.summary.emailed}`,
      'certificate emails / distinct recipients': `${certificateEmails.length} / ${recipients.size}`,
      'PDFs in S3': objects,
      duplicates: certificateEmails.length - recipients.size,
      lost: PARTICIPANTS - recipients.size,
      budget: totalMs <= BUDGET_MS && certificateEmails.length === PARTICIPANTS && recipients.size === PARTICIPANTS ? 'met' : 'MISSED',
      'quiet-machine budget (20 s)': totalMs <= QUIET_BUDGET_MS ? 'met' : 'MISSED',
      'calls per issuance ≤ 6': workflowCalls > 0 && workflowCalls / PARTICIPANTS <= MAX_CALLS_PER_ISSUANCE ? 'met' : workflowCalls === 0 ? 'NOT COUNTED' : 'MISSED',
    };
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`\ncertificate pipeline (node ${process.version}, ${os.cpus().length} cores): ${PARTICIPANTS} participants closed → certificates stored and emailed`);
  const result = await certificatePipeline();
  console.table(result);
  if (result.duplicates !== 0 || result.lost !== 0) process.exitCode = 1;
}
