/**
 * Everything that runs beside the API rather than inside a request: the stream poller and its
 * consumers, the scheduled jobs and the EventBridge rules, in a worker thread of their own. On
 * AWS these are separate Lambda invocations; here they get their own event loop, so a burst of
 * stream records never makes an HTTP request wait. The clock and the fault points are the
 * gateway's own (shared memory), so a clock moved by a test is the consumers' clock at once.
 * Started by functions.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { clock, shareClock } from '../shared/clock';
import { shareFaults } from '../shared/faults';
import { consumerList, eventRuleList, scheduleList } from '../shared/manifest';
import { enforceFunctionPermissions, loadHandlers } from './handlers';
import { instruments, type CallCounts } from './instruments';
import { lambdaContext } from './lambda-context';
import { buildSesEvent, dispatchEvent, type EventRuleLambda, type SesEventRequest } from './ses-events';
import { StreamPoller, type DeadLetter, type ReplayOutcome, type StreamHandler } from './stream-poller';
import { serveWorker, workerInput, workerLog, yieldToTheGateway } from './worker-thread';

export interface FunctionsInput {
  clock: SharedArrayBuffer;
  faults: SharedArrayBuffer;
  dynamodbEndpoint: string;
  tableName: string;
  /** Checkpoints and dead letters (e.g. `.data/streams`). */
  stateDirectory: string;
}

export type FunctionsApi = {
  waitForIdle(timeoutMs?: number): Promise<void>;
  listDeadLetters(consumerName?: string): Promise<DeadLetter[]>;
  replayDeadLetter(id: string): Promise<ReplayOutcome>;
  /** Stops the poller only (a benchmark reading a table the consumers no longer change). */
  stopPoller(): Promise<void>;
  /** Starts it again: a benchmark lets records pile up in the stream, then times their drain. */
  startPoller(): Promise<void>;
  /** This thread's counts since the last reset (the instruments are installed by the first call). */
  measurements(): Promise<{ calls: CallCounts; emailsSentAt: number[] }>;
  resetMeasurements(): Promise<void>;
  scheduleNames(): Promise<string[]>;
  /** Undefined when no schedule has this name. */
  runSchedule(name: string): Promise<{ ran: string; result: unknown } | undefined>;
  sesEvent(request: SesEventRequest): Promise<{ event: { id: string; 'detail-type': string }; results: { rule: string; result: unknown }[] }>;
  stop(): Promise<void>;
};

type ScheduledLambda = (event: ScheduledEvent, context: Context) => Promise<unknown>;

function scheduledEvent(name: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: clock.now().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${name}`],
    detail: {},
  };
}

serveWorker<FunctionsApi>(async () => {
  const input = workerInput<FunctionsInput>();
  shareClock(input.clock);
  shareFaults(input.faults);
  yieldToTheGateway();
  await enforceFunctionPermissions(workerLog);

  const [consumers, scheduled, eventRules] = await Promise.all([
    loadHandlers<(typeof consumerList)[number], StreamHandler>(consumerList),
    loadHandlers<(typeof scheduleList)[number], ScheduledLambda>(scheduleList),
    loadHandlers<(typeof eventRuleList)[number], EventRuleLambda>(eventRuleList),
  ]);

  const poller = new StreamPoller({
    endpoint: input.dynamodbEndpoint,
    tableName: input.tableName,
    consumers,
    stateDirectory: input.stateDirectory,
    log: workerLog,
  });
  poller.start();

  const runSchedule = async (job: (typeof scheduled)[number]) =>
    (await job.handler(
      scheduledEvent(job.definition.name),
      lambdaContext({ functionName: job.definition.name, timeoutSeconds: job.definition.timeoutSeconds, memoryMb: job.definition.memoryMb }),
    )) ?? null;
  // EventBridge's rate rules become intervals of real time; runSchedule fires one at once.
  const timers = scheduled.map((job) => {
    const timer = setInterval(() => {
      runSchedule(job).catch((error: unknown) =>
        workerLog(`schedule ${job.definition.name} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, job.definition.everyMinutes * 60_000);
    timer.unref();
    return timer;
  });

  return {
    waitForIdle: (timeoutMs) => poller.waitForIdle(timeoutMs === undefined ? {} : { timeoutMs }),
    listDeadLetters: (consumerName) => poller.listDeadLetters(consumerName),
    replayDeadLetter: (id) => poller.replayDeadLetter(id),
    stopPoller: () => poller.stop(),
    startPoller: async () => poller.start(),
    measurements: async () => {
      const measured = await instruments();
      return { calls: measured.calls(), emailsSentAt: measured.emailsSentAt() };
    },
    resetMeasurements: async () => (await instruments()).reset(),
    scheduleNames: async () => scheduled.map((job) => job.definition.name),
    runSchedule: async (name) => {
      const job = scheduled.find((candidate) => candidate.definition.name === name);
      return job ? { ran: job.definition.name, result: await runSchedule(job) } : undefined;
    },
    sesEvent: async (request) => {
      const event = await buildSesEvent(request);
      return { event: { id: event.id, 'detail-type': event['detail-type'] }, results: await dispatchEvent(event, eventRules) };
    },
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await poller.stop();
    },
  };
});
