import { clockMemory } from '../shared/clock';
import { faultMemory } from '../shared/faults';
import type { FunctionsApi, FunctionsInput } from './functions-worker';
import type { CallCounts } from './instruments';
import type { DeadLetter, ReplayOutcome } from './stream-poller';
import type { SesEventRequest } from './ses-events';
import { isRemoteError, startWorkerThread } from './worker-thread';

/** The stream poller as the gateway's thread sees it: the same methods, answered by the worker. */
export interface RemotePoller {
  /** Resolves once every consumer has handled every record in the stream when it was called. */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  drain(options?: { timeoutMs?: number }): Promise<void>;
  listDeadLetters(consumerName?: string): Promise<DeadLetter[]>;
  /** Throws an error named DeadLetterNotFoundError for an unknown id (see isRemoteError). */
  replayDeadLetter(id: string): Promise<ReplayOutcome>;
  /** Stops polling; the scheduled jobs and event rules keep answering. */
  stop(): Promise<void>;
  /** Polls again after stop(). */
  start(): Promise<void>;
  /**
   * What the consumers' thread sent since the last reset: DynamoDB requests per function and
   * command, and when each email went out (epoch ms). For benchmarks (local/instruments.ts).
   */
  measurements(): Promise<{ calls: CallCounts; emailsSentAt: number[] }>;
  resetMeasurements(): Promise<void>;
}

export interface LocalFunctions {
  poller: RemotePoller;
  scheduleNames(): Promise<string[]>;
  runSchedule(name: string): Promise<{ ran: string; result: unknown } | undefined>;
  /** Throws an error named UnknownCertificateError for an unknown certificate. */
  sesEvent(request: SesEventRequest): ReturnType<FunctionsApi['sesEvent']>;
  /** CPU time of the functions' thread, in ms (local/cpu.ts). */
  threadCpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export { isRemoteError };

/**
 * Starts the stream poller, its consumers, the scheduled jobs and the event rules in their own
 * worker thread (functions-worker.ts), on this thread's clock and fault points. The environment
 * must be set first: the thread gets a copy of it.
 */
export async function startLocalFunctions(
  input: Omit<FunctionsInput, 'clock' | 'faults'>,
  log: (line: string) => void,
): Promise<LocalFunctions> {
  const thread = await startWorkerThread<FunctionsApi>(
    new URL('./functions-worker.ts', import.meta.url),
    { ...input, clock: clockMemory(), faults: faultMemory() } satisfies FunctionsInput,
    { log },
  );
  const waitForIdle = (options: { timeoutMs?: number } = {}) => thread.call('waitForIdle', options.timeoutMs);
  let stopped: Promise<void> | undefined;
  return {
    poller: {
      waitForIdle,
      drain: waitForIdle,
      listDeadLetters: (consumerName) => thread.call('listDeadLetters', consumerName),
      replayDeadLetter: (id) => thread.call('replayDeadLetter', id),
      stop: () => thread.call('stopPoller'),
      start: () => thread.call('startPoller'),
      measurements: () => thread.call('measurements'),
      resetMeasurements: () => thread.call('resetMeasurements'),
    },
    scheduleNames: () => thread.call('scheduleNames'),
    runSchedule: (name) => thread.call('runSchedule', name),
    sesEvent: (request) => thread.call('sesEvent', request),
    threadCpuMs: () => thread.threadCpuMs(),
    stop: () => (stopped ??= thread.call('stop').finally(() => thread.terminate())),
  };
}
