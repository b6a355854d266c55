/**
 * The local event source mapping: reads DynamoDB Local's stream and delivers it to the manifest's
 * consumers the way Lambda does for a mapping with filter criteria, ReportBatchItemFailures,
 * BisectBatchOnFunctionError, MaximumRetryAttempts and an on-failure destination. Handlers that
 * behave correctly here (idempotent, reporting failed items) behave the same in AWS.
 *
 * Each consumer is an independent mapping with its own checkpoints: one consumer's failing batch
 * never holds back another. Within a consumer, shards are read one at a time and a parent shard is
 * finished before its children, so records of one item are always delivered in order.
 */
import path from 'node:path';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetterStore, type DeadLetter } from './dead-letters';
import { sequenceNumberOf, type StreamConsumer } from './delivery';
import { assertValidFilterPattern } from './event-filter';
import { DynamoDbStreamSource, errorMessage, ShardDiscovery, type DynamoDbStreamSourceOptions, type StreamSource } from './stream-source';

export type { DeadLetter } from './dead-letters';
export type { StreamConsumer, StreamHandler } from './delivery';
export {
  DynamoDbStreamSource,
  ExpiredIteratorError,
  toLambdaRecord,
  TrimmedPositionError,
  type IteratorStart,
  type RecordsPage,
  type StreamShard,
  type StreamSource,
} from './stream-source';

interface StreamPollerBaseOptions {
  consumers: readonly StreamConsumer[];
  /** Checkpoints and dead letters live here (e.g. `.data/streams`). */
  stateDirectory: string;
  /** Pause between polls of a caught-up stream; Lambda polls four times a second. */
  pollIntervalMs?: number;
  /** Pause before retrying a failed batch. */
  retryDelayMs?: number;
  /** How often to look for new shards (and a re-created table) while busy. */
  shardDiscoveryIntervalMs?: number;
  /** One short line per event, without record contents. */
  log?: (message: string) => void;
}

/** Either DynamoDB Local's endpoint and the table (or stream) to read, or an injected source. */
export type StreamPollerOptions = StreamPollerBaseOptions &
  ({ source: StreamSource; endpoint?: never } | ({ source?: never } & DynamoDbStreamSourceOptions));

export type ReplayOutcome =
  | { id: string; status: 'delivered'; deliveredRecords: number }
  | { id: string; status: 'failed'; errorMessage: string; remainingRecords: number };

export class DeadLetterNotFoundError extends Error {}

export class StreamPoller {
  private readonly source: StreamSource;
  private readonly ownsSource: boolean;
  private readonly deadLetters: DeadLetterStore;
  private readonly discovery: ShardDiscovery;
  private readonly runners: ConsumerRunner[];
  private readonly pollIntervalMs: number;
  private readonly log: (message: string) => void;
  private loops: Promise<void>[] | undefined;
  private stopping = false;
  private settledInvocations = 0;
  private readonly idleWaiters = new Set<IdleWaiter>();

  constructor(options: StreamPollerOptions) {
    this.source =
      options.source ??
      new DynamoDbStreamSource({
        endpoint: options.endpoint,
        region: options.region,
        credentials: options.credentials,
        tableName: options.tableName,
        streamArn: options.streamArn,
      });
    this.ownsSource = options.source === undefined;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.log = options.log ?? ((message) => console.log(message));
    this.deadLetters = new DeadLetterStore(path.join(options.stateDirectory, 'dead-letters'));
    this.discovery = new ShardDiscovery(this.source);
    const names = new Set<string>();
    this.runners = options.consumers.map((consumer) => {
      const { name, filters, batchSize, maxRetries } = consumer.definition;
      if (names.has(name)) throw new Error(`Two stream consumers are named ${name}.`);
      names.add(name);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Consumer ${name}: batchSize must be >= 1.`);
      if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new Error(`Consumer ${name}: maxRetries must be >= 0.`);
      filters.forEach((pattern, index) => assertValidFilterPattern(pattern, `${name}.filters[${index}]`));
      return new ConsumerRunner(consumer, {
        source: this.source,
        discovery: this.discovery,
        deadLetters: this.deadLetters,
        checkpointFile: path.join(options.stateDirectory, 'checkpoints', `${fileSafe(name)}.json`),
        retryDelayMs: options.retryDelayMs ?? this.pollIntervalMs,
        shardDiscoveryIntervalMs: options.shardDiscoveryIntervalMs ?? 1_000,
        log: (message) => this.log(`stream poller: ${name}: ${message}`),
        isStopping: () => this.stopping,
        onInvocationSettled: () => {
          this.settledInvocations += 1;
        },
      });
    });
  }

  /** Starts one polling loop per consumer; a no-op when already running. */
  start(): void {
    if (this.loops) return;
    this.stopping = false;
    this.loops = this.runners.map((runner) => this.runLoop(runner));
  }

  /** Stops polling after the batches in flight finish; their checkpoints are saved. */
  async stop(): Promise<void> {
    if (!this.loops) return;
    this.stopping = true;
    for (const runner of this.runners) runner.wake({ includingRetryDelay: true });
    await Promise.all(this.loops);
    this.loops = undefined;
    for (const waiter of this.idleWaiters) waiter.fail(new Error('The stream poller stopped before it was idle.'));
    if (this.ownsSource) this.source.close?.();
  }

  /**
   * Resolves once every consumer has handled (delivered, filtered out or dead-lettered) every record
   * that was in the stream when it was called, including records written by consumers meanwhile.
   */
  async waitForIdle(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    if (!this.loops) throw new Error('The stream poller is not running; call start() first.');
    const deadline = Date.now() + timeoutMs;
    // A consumer's handler may write items the others must see, so repeat until a whole round
    // passes without any invocation finishing.
    for (;;) {
      const settledBefore = this.settledInvocations;
      await this.waitForIdleRound(deadline - Date.now());
      if (this.settledInvocations === settledBefore) return;
    }
  }

  /** The same as waitForIdle(); reads better in tests that write and then assert. */
  drain(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.waitForIdle(options);
  }

  async listDeadLetters(consumerName?: string): Promise<DeadLetter[]> {
    const letters = await this.deadLetters.list();
    return consumerName === undefined ? letters : letters.filter((letter) => letter.consumer === consumerName);
  }

  /**
   * Delivers a dead letter's records to its consumer once more. On success the dead letter is
   * removed; on a partial failure it keeps only the records that failed again.
   */
  async replayDeadLetter(id: string): Promise<ReplayOutcome> {
    const letter = await this.deadLetters.get(id);
    if (!letter) throw new DeadLetterNotFoundError(`There is no dead letter ${id}.`);
    const runner = this.runners.find((candidate) => candidate.name === letter.consumer);
    if (!runner) throw new Error(`Dead letter ${id} belongs to consumer ${letter.consumer}, which this poller does not run.`);
    const result = await runner.invoke(letter.records);
    if (result.kind === 'success') {
      await this.deadLetters.remove(id);
      this.log(`stream poller: ${letter.consumer}: replayed dead letter ${id} (${letter.records.length} records)`);
      return { id, status: 'delivered', deliveredRecords: letter.records.length };
    }
    const remaining = result.kind === 'partial' ? result.failedRecords : letter.records;
    await this.deadLetters.save({
      ...letter,
      records: remaining,
      firstSequenceNumber: sequenceNumberOf(remaining[0]),
      lastSequenceNumber: sequenceNumberOf(remaining.at(-1)),
      errorMessage: result.errorMessage,
      replayAttempts: letter.replayAttempts + 1,
      lastReplayAt: new Date().toISOString(),
    });
    this.log(`stream poller: ${letter.consumer}: replay of dead letter ${id} failed: ${result.errorMessage}`);
    return { id, status: 'failed', errorMessage: result.errorMessage, remainingRecords: remaining.length };
  }

  private async runLoop(runner: ConsumerRunner): Promise<void> {
    let lastFailure: string | undefined;
    while (!this.stopping) {
      const cycle = runner.beginCycle();
      let idle = false;
      try {
        idle = await runner.runCycle();
        lastFailure = undefined;
      } catch (error) {
        // A bug or an unwritable state directory must not end local development: say so (once
        // while it lasts) and try again on the next poll.
        const message = errorMessage(error);
        if (message !== lastFailure) this.log(`stream poller: ${runner.name}: ${message}`);
        lastFailure = message;
      }
      if (idle) this.recordIdle(runner, cycle);
      if (this.stopping) break;
      await runner.pause(this.pollIntervalMs);
    }
  }

  private waitForIdleRound(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pending = new Map<ConsumerRunner, number>();
      for (const runner of this.runners) {
        // Only a cycle that starts after this moment proves the records written before it are handled.
        pending.set(runner, runner.cyclesStarted);
        runner.requestShardDiscovery();
      }
      const waiter: IdleWaiter = {
        pending,
        done: () => {
          clearTimeout(timer);
          this.idleWaiters.delete(waiter);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          this.idleWaiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const busy = [...waiter.pending.keys()].map((runner) => runner.name).join(', ');
        waiter.fail(new Error(`Stream consumers still busy after the drain timeout: ${busy}.`));
      }, Math.max(0, timeoutMs));
      this.idleWaiters.add(waiter);
      if (pending.size === 0) waiter.done();
      for (const runner of this.runners) runner.wake({ includingRetryDelay: false });
    });
  }

  private recordIdle(runner: ConsumerRunner, cycle: number): void {
    for (const waiter of [...this.idleWaiters]) {
      const after = waiter.pending.get(runner);
      if (after !== undefined && cycle > after) waiter.pending.delete(runner);
      if (waiter.pending.size === 0) waiter.done();
    }
  }
}

interface IdleWaiter {
  /** Consumers not yet idle, with the last cycle number that started before the wait began. */
  pending: Map<ConsumerRunner, number>;
  done(): void;
  fail(error: Error): void;
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
