/**
 * One consumer's event source mapping: its checkpoints (one file per consumer, so one consumer's
 * failing batch never holds back another), its shard cursors and its polling cycles. Within a
 * consumer, shards are read one at a time and a parent shard is finished before its children, so
 * records of one item are always delivered in order. What a batch is and how its answer is read
 * are delivery.ts's rules.
 */
import fs from 'node:fs/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import { isMissingFile, writeJsonFileAtomically, type DeadLetterStore } from './dead-letters';
import {
  asDelivered,
  deliverInOrder,
  invokeConsumer,
  nextWindow,
  sequenceNumberOf,
  type InvocationResult,
  type StreamConsumer,
} from './delivery';
import {
  errorMessage,
  ExpiredIteratorError,
  TrimmedPositionError,
  type ShardDiscovery,
  type StreamShard,
  type StreamSnapshot,
  type StreamSource,
} from './stream-source';

interface CheckpointState {
  streamArn?: string;
  /** Per shard, the last sequence number handled (delivered, filtered out or dead-lettered). */
  shards: Record<string, { sequenceNumber?: string; finished?: boolean }>;
}

interface ShardCursor {
  iterator: string | undefined;
  /** Records read but not handled yet; the checkpoint is just before the first of them. */
  buffer: DynamoDBRecord[];
  reachedEnd: boolean;
}

type ShardOutcome = 'caught-up' | 'finished' | 'interrupted' | 'failed';

export interface RunnerContext {
  source: StreamSource;
  discovery: ShardDiscovery;
  deadLetters: DeadLetterStore;
  checkpointFile: string;
  retryDelayMs: number;
  shardDiscoveryIntervalMs: number;
  log: (message: string) => void;
  isStopping: () => boolean;
  onInvocationSettled: () => void;
}

export class ConsumerRunner {
  readonly name: string;
  cyclesStarted = 0;
  private state: CheckpointState | undefined;
  private readonly cursors = new Map<string, ShardCursor>();
  private discoveryRequested = true;
  private lastStreamProblem: string | undefined;
  private readonly pollWakers = new Set<() => void>();
  private readonly retryWakers = new Set<() => void>();

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly context: RunnerContext,
  ) {
    this.name = consumer.definition.name;
  }

  beginCycle(): number {
    this.cyclesStarted += 1;
    return this.cyclesStarted;
  }

  requestShardDiscovery(): void {
    this.discoveryRequested = true;
  }

  /** True when, at its end, every record the cycle could see has been handled. */
  async runCycle(): Promise<boolean> {
    const state = await this.loadState();
    const forceDiscovery = this.discoveryRequested;
    this.discoveryRequested = false;
    let snapshot: StreamSnapshot | undefined;
    try {
      snapshot = await this.context.discovery.current(forceDiscovery ? 0 : this.context.shardDiscoveryIntervalMs);
    } catch (error) {
      this.reportStreamProblem(`cannot read the stream: ${errorMessage(error)}`);
      return false;
    }
    if (!snapshot) {
      this.reportStreamProblem('waiting for the table and its stream');
      return true;
    }
    if (state.streamArn !== snapshot.streamArn) await this.switchStream(state, snapshot.streamArn);
    this.forgetVanishedShards(state, snapshot);

    let idle = true;
    for (;;) {
      let finishedAShard = false;
      for (const shard of snapshot.shards) {
        if (this.context.isStopping()) return false;
        if (state.shards[shard.shardId]?.finished || !this.parentIsDone(state, snapshot, shard)) continue;
        let outcome: ShardOutcome;
        try {
          outcome = await this.consumeShard(snapshot.streamArn, shard.shardId);
        } catch (error) {
          // Buffered records may be partly checkpointed already; re-read from the checkpoint.
          this.cursors.delete(shard.shardId);
          throw error;
        }
        if (outcome === 'finished') finishedAShard = true;
        else if (outcome !== 'caught-up') idle = false;
      }
      // A closed parent unblocks its children, which may only just have appeared.
      if (!finishedAShard) break;
      const refreshed = await this.context.discovery.current(0);
      if (!refreshed || refreshed.streamArn !== snapshot.streamArn) return false;
      snapshot = refreshed;
    }
    if (idle) this.lastStreamProblem = undefined;
    return idle;
  }

  /** Waits between polls; stop() and drain() cut the wait short. */
  pause(ms: number): Promise<void> {
    return this.sleep(ms, this.pollWakers);
  }

  wake({ includingRetryDelay }: { includingRetryDelay: boolean }): void {
    for (const wake of [...this.pollWakers]) wake();
    if (includingRetryDelay) for (const wake of [...this.retryWakers]) wake();
  }
  /** One invocation with Lambda's response rules; never throws. */
  invoke(records: readonly DynamoDBRecord[]): Promise<InvocationResult> {
    return invokeConsumer(this.consumer, records, this.context.onInvocationSettled);
  }

  private async consumeShard(streamArn: string, shardId: string): Promise<ShardOutcome> {
    let cursor = this.cursors.get(shardId);
    if (!cursor) {
      cursor = { iterator: undefined, buffer: [], reachedEnd: false };
      this.cursors.set(shardId, cursor);
    }
    let expiredIterators = 0;
    while (!this.context.isStopping()) {
      if (cursor.buffer.length === 0) {
        if (cursor.reachedEnd) {
          await this.saveCheckpoint(shardId, { finished: true });
          this.cursors.delete(shardId);
          return 'finished';
        }
        try {
          const gotRecords = await this.readPage(streamArn, shardId, cursor);
          if (!gotRecords && !cursor.reachedEnd) return 'caught-up';
        } catch (error) {
          if (error instanceof ExpiredIteratorError && expiredIterators++ === 0) {
            // Nothing is buffered, so the checkpoint is exactly where the iterator stood.
            cursor.iterator = undefined;
            continue;
          }
          this.reportStreamProblem(`reading ${shardId} failed: ${errorMessage(error)}`);
          cursor.iterator = undefined;
          return 'failed';
        }
        continue;
      }

      const { filters, batchSize } = this.consumer.definition;
      const { length, batch } = nextWindow(filters, batchSize, cursor.buffer);
      const handled = cursor.buffer.slice(0, length);
      const outcome = await this.deliver(streamArn, shardId, batch);
      if (outcome === 'interrupted') {
        // Re-read from the checkpoint next time; the records not yet handled are still in the stream.
        this.cursors.delete(shardId);
        return 'interrupted';
      }
      cursor.buffer.splice(0, length);
      await this.saveCheckpoint(shardId, { sequenceNumber: sequenceNumberOf(handled.at(-1)) });
    }
    this.cursors.delete(shardId);
    return 'interrupted';
  }

  /** Reads the next page into the cursor; false when the page was empty. */
  private async readPage(streamArn: string, shardId: string, cursor: ShardCursor): Promise<boolean> {
    if (cursor.iterator === undefined) {
      cursor.iterator = await this.openIterator(streamArn, shardId);
      if (cursor.iterator === undefined) {
        cursor.reachedEnd = true;
        return false;
      }
    }
    const page = await this.context.source.getRecords(cursor.iterator);
    cursor.iterator = page.nextIterator;
    if (page.nextIterator === undefined) cursor.reachedEnd = true;
    for (const record of page.records) cursor.buffer.push(asDelivered(record, streamArn));
    return page.records.length > 0;
  }

  private async openIterator(streamArn: string, shardId: string): Promise<string | undefined> {
    const checkpoint = this.state?.shards[shardId]?.sequenceNumber;
    if (checkpoint === undefined) {
      return this.context.source.getShardIterator(streamArn, shardId, { type: 'TRIM_HORIZON' });
    }
    try {
      return await this.context.source.getShardIterator(streamArn, shardId, {
        type: 'AFTER_SEQUENCE_NUMBER',
        sequenceNumber: checkpoint,
      });
    } catch (error) {
      if (!(error instanceof TrimmedPositionError)) throw error;
      this.context.log(
        `checkpoint ${checkpoint} in ${shardId} is older than the stream keeps; continuing from the oldest record`,
      );
      return this.context.source.getShardIterator(streamArn, shardId, { type: 'TRIM_HORIZON' });
    }
  }
  private deliver(streamArn: string, shardId: string, records: DynamoDBRecord[]): Promise<'done' | 'interrupted'> {
    return deliverInOrder(records, {
      maxRetries: this.consumer.definition.maxRetries,
      invoke: (batch) => this.invoke(batch),
      checkpoint: (sequenceNumber) => this.saveCheckpoint(shardId, { sequenceNumber }),
      setAside: (failed, message, attempts) => this.setAside(streamArn, shardId, failed, message, attempts),
      pauseBeforeRetry: () => this.sleep(this.context.retryDelayMs, this.retryWakers),
      isStopping: this.context.isStopping,
      log: this.context.log,
    });
  }

  private async setAside(
    streamArn: string,
    shardId: string,
    records: DynamoDBRecord[],
    message: string,
    attempts: number,
  ): Promise<void> {
    const letter = await this.context.deadLetters.add({
      consumer: this.name,
      streamArn,
      shardId,
      records,
      errorMessage: message,
      attempts,
      failedAt: new Date().toISOString(),
    });
    this.context.log(
      `${records.length} records (${letter.firstSequenceNumber}..${letter.lastSequenceNumber}) moved to dead letter ` +
        `${letter.id} after ${attempts} attempts: ${message}`,
    );
  }

  private parentIsDone(state: CheckpointState, snapshot: StreamSnapshot, shard: StreamShard): boolean {
    const parent = shard.parentShardId;
    if (parent === undefined) return true;
    // A parent no longer listed has been trimmed; nothing of it is left to read first.
    if (!snapshot.shards.some((candidate) => candidate.shardId === parent)) return true;
    return state.shards[parent]?.finished === true;
  }

  private async switchStream(state: CheckpointState, streamArn: string): Promise<void> {
    if (state.streamArn !== undefined) {
      this.context.log('the table has a new stream (was it re-created?); reading it from the start');
    }
    state.streamArn = streamArn;
    state.shards = {};
    this.cursors.clear();
    await this.persistState();
  }

  /** Keeps the checkpoint file small as DynamoDB rolls over to new shards. */
  private forgetVanishedShards(state: CheckpointState, snapshot: StreamSnapshot): void {
    const listed = new Set(snapshot.shards.map((shard) => shard.shardId));
    for (const [shardId, checkpoint] of Object.entries(state.shards)) {
      if (checkpoint.finished && !listed.has(shardId)) delete state.shards[shardId];
    }
  }

  private async saveCheckpoint(shardId: string, update: { sequenceNumber?: string; finished?: boolean }): Promise<void> {
    const state = await this.loadState();
    const previous = state.shards[shardId] ?? {};
    state.shards[shardId] = {
      ...previous,
      ...(update.sequenceNumber ? { sequenceNumber: update.sequenceNumber } : {}),
      ...(update.finished ? { finished: true } : {}),
    };
    await this.persistState();
  }

  private async loadState(): Promise<CheckpointState> {
    if (this.state) return this.state;
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.context.checkpointFile, 'utf8'));
      this.state = isCheckpointState(parsed) ? parsed : { shards: {} };
      if (!isCheckpointState(parsed)) this.context.log('checkpoint file is not valid; reading the stream from the start');
    } catch (error) {
      if (!isMissingFile(error)) {
        this.context.log(`checkpoint file unreadable (${errorMessage(error)}); reading the stream from the start`);
      }
      this.state = { shards: {} };
    }
    return this.state;
  }

  private async persistState(): Promise<void> {
    if (this.state) await writeJsonFileAtomically(this.context.checkpointFile, this.state);
  }

  /** Logs a stream problem once, not on every poll while it lasts. */
  private reportStreamProblem(message: string): void {
    if (message === this.lastStreamProblem) return;
    this.lastStreamProblem = message;
    this.context.log(message);
  }

  private sleep(ms: number, wakers: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }
}

function isCheckpointState(value: unknown): value is CheckpointState {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { streamArn?: unknown; shards?: unknown };
  return (
    (candidate.streamArn === undefined || typeof candidate.streamArn === 'string') &&
    typeof candidate.shards === 'object' &&
    candidate.shards !== null
  );
}
