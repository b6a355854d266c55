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
import fs from 'node:fs/promises';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as StreamsAttributeValue,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  AttributeValue,
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  StreamRecord,
} from 'aws-lambda';
import type { ConsumerDefinition } from '../shared/manifest';
import { DeadLetterStore, isMissingFile, writeJsonFileAtomically, type DeadLetter } from './dead-letters';
import { assertValidFilterPattern, matchesAny } from './event-filter';
import { lambdaContext } from './lambda-context';

export type { DeadLetter } from './dead-letters';

// ---------------------------------------------------------------------------------------------
// Where records come from
// ---------------------------------------------------------------------------------------------

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
}

export type IteratorStart = { type: 'TRIM_HORIZON' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface RecordsPage {
  /** Records in the wire form Lambda delivers (attribute values as JSON, epoch-second timestamps). */
  records: DynamoDBRecord[];
  /** Absent once the shard is closed and fully read. */
  nextIterator?: string;
}

/**
 * The four stream operations the poller needs. DynamoDbStreamSource implements them against
 * DynamoDB Local; unit tests inject an in-memory stream.
 */
export interface StreamSource {
  /** The stream to read, or undefined while the table (or its stream) does not exist yet. */
  findStreamArn(): Promise<string | undefined>;
  listShards(streamArn: string): Promise<StreamShard[]>;
  /** Undefined when the shard no longer exists (trimmed). */
  getShardIterator(streamArn: string, shardId: string, start: IteratorStart): Promise<string | undefined>;
  getRecords(iterator: string): Promise<RecordsPage>;
  close?(): void;
}

/** The iterator is too old (15 minutes in AWS) or unknown; read again from the checkpoint. */
export class ExpiredIteratorError extends Error {}

/** The requested position is older than the stream keeps (24 hours in AWS). */
export class TrimmedPositionError extends Error {}

export interface DynamoDbStreamSourceOptions {
  endpoint: string;
  /** DynamoDB Local accepts any region; `local` keeps it obviously not AWS. */
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The table whose latest stream to read; the table may be created after the poller starts. */
  tableName?: string;
  /** A fixed stream instead of a table's latest one. */
  streamArn?: string;
}

export class DynamoDbStreamSource implements StreamSource {
  private clients: { tables: DynamoDBClient; streams: DynamoDBStreamsClient } | undefined;

  constructor(private readonly options: DynamoDbStreamSourceOptions) {
    if (!options.tableName && !options.streamArn) {
      throw new Error('DynamoDbStreamSource needs a tableName or a streamArn.');
    }
  }

  async findStreamArn(): Promise<string | undefined> {
    if (this.options.streamArn) return this.options.streamArn;
    try {
      const { Table } = await this.connect().tables.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      return Table?.LatestStreamArn;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async listShards(streamArn: string): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.connect().streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId) continue;
        shards.push(
          shard.ParentShardId ? { shardId: shard.ShardId, parentShardId: shard.ParentShardId } : { shardId: shard.ShardId },
        );
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  async getShardIterator(streamArn: string, shardId: string, start: IteratorStart): Promise<string | undefined> {
    try {
      const { ShardIterator } = await this.connect().streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: start.type,
          SequenceNumber: start.type === 'AFTER_SEQUENCE_NUMBER' ? start.sequenceNumber : undefined,
        }),
      );
      return ShardIterator;
    } catch (error) {
      if (errorName(error) === 'TrimmedDataAccessException') throw new TrimmedPositionError(errorMessage(error));
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async getRecords(iterator: string): Promise<RecordsPage> {
    try {
      const { Records, NextShardIterator } = await this.connect().streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      const records = (Records ?? []).map(toLambdaRecord);
      return NextShardIterator ? { records, nextIterator: NextShardIterator } : { records };
    } catch (error) {
      const name = errorName(error);
      // DynamoDB Local answers a restarted emulator's stale iterator with a ValidationException.
      if (name === 'ExpiredIteratorException' || (name === 'ValidationException' && /iterator/i.test(errorMessage(error)))) {
        throw new ExpiredIteratorError(errorMessage(error));
      }
      if (name === 'TrimmedDataAccessException') throw new TrimmedPositionError(errorMessage(error));
      throw error;
    }
  }

  close(): void {
    this.clients?.tables.destroy();
    this.clients?.streams.destroy();
    this.clients = undefined;
  }

  private connect(): { tables: DynamoDBClient; streams: DynamoDBStreamsClient } {
    if (!this.clients) {
      const config = {
        endpoint: this.options.endpoint,
        region: this.options.region ?? 'local',
        credentials: this.options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
        // The poller has its own retry loop; SDK retries would only delay the next poll.
        maxAttempts: 1,
      };
      this.clients = { tables: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
    }
    return this.clients;
  }
}

/** The SDK parses the stream into Dates and byte arrays; Lambda delivers the JSON the API sent. */
export function toLambdaRecord(record: StreamsRecord): DynamoDBRecord {
  const data = record.dynamodb;
  const dynamodb: StreamRecord = {};
  if (data?.ApproximateCreationDateTime) {
    dynamodb.ApproximateCreationDateTime = Math.floor(data.ApproximateCreationDateTime.getTime() / 1000);
  }
  if (data?.Keys) dynamodb.Keys = toLambdaItem(data.Keys);
  if (data?.NewImage) dynamodb.NewImage = toLambdaItem(data.NewImage);
  if (data?.OldImage) dynamodb.OldImage = toLambdaItem(data.OldImage);
  if (data?.SequenceNumber !== undefined) dynamodb.SequenceNumber = data.SequenceNumber;
  if (data?.SizeBytes !== undefined) dynamodb.SizeBytes = data.SizeBytes;
  if (data?.StreamViewType !== undefined) dynamodb.StreamViewType = data.StreamViewType;
  const lambdaRecord: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb,
  };
  // TTL deletions carry the service principal; handlers tell expiry from user deletes by it.
  if (record.userIdentity) {
    lambdaRecord.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  }
  return lambdaRecord;
}

function toLambdaItem(item: Record<string, StreamsAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toLambdaAttribute(value)]));
}

function toLambdaAttribute(value: StreamsAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.M !== undefined) return { M: toLambdaItem(value.M) };
  throw new Error(`Unknown DynamoDB attribute type ${Object.keys(value).join(',')}`);
}

// ---------------------------------------------------------------------------------------------
// The poller
// ---------------------------------------------------------------------------------------------

/** A stream Lambda's handler; it gets a Lambda-like context, as middy and Powertools expect one. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamConsumer {
  definition: ConsumerDefinition;
  handler: StreamHandler;
}

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

/** Lambda's default function timeout, for consumers whose definition leaves it out. */
const defaultTimeoutSeconds = 3;

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

// ---------------------------------------------------------------------------------------------
// Shard discovery, shared by the consumers
// ---------------------------------------------------------------------------------------------

interface StreamSnapshot {
  streamArn: string;
  shards: StreamShard[];
  takenAt: number;
}

class ShardDiscovery {
  private snapshot: StreamSnapshot | undefined;
  private inFlight: Promise<StreamSnapshot | undefined> | undefined;

  constructor(private readonly source: StreamSource) {}

  /** A snapshot no older than maxAgeMs; 0 always asks the stream afresh. */
  async current(maxAgeMs: number): Promise<StreamSnapshot | undefined> {
    const fresh = maxAgeMs === 0;
    if (!fresh && this.snapshot && Date.now() - this.snapshot.takenAt < maxAgeMs) return this.snapshot;
    // Concurrent consumers share one refresh, unless a caller needs one that starts after it asked.
    if (!fresh && this.inFlight) return this.inFlight;
    const refresh = this.refresh();
    this.inFlight = refresh;
    try {
      return await refresh;
    } finally {
      if (this.inFlight === refresh) this.inFlight = undefined;
    }
  }

  private async refresh(): Promise<StreamSnapshot | undefined> {
    try {
      const streamArn = await this.source.findStreamArn();
      if (!streamArn) {
        this.snapshot = undefined;
        return undefined;
      }
      const shards = await this.source.listShards(streamArn);
      this.snapshot = { streamArn, shards, takenAt: Date.now() };
      return this.snapshot;
    } catch (error) {
      // The table may have been deleted and re-created; look it up afresh next time.
      this.snapshot = undefined;
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One consumer: its checkpoints, its shard cursors, its batches
// ---------------------------------------------------------------------------------------------

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

type InvocationResult =
  | { kind: 'success' }
  | { kind: 'partial'; firstFailedIndex: number; failedRecords: DynamoDBRecord[]; errorMessage: string }
  | { kind: 'error'; errorMessage: string };

type ShardOutcome = 'caught-up' | 'finished' | 'interrupted' | 'failed';

interface RunnerContext {
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

class ConsumerRunner {
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
  async invoke(records: readonly DynamoDBRecord[]): Promise<InvocationResult> {
    const timeoutMs = (this.consumer.definition.timeoutSeconds ?? defaultTimeoutSeconds) * 1000;
    // Each invocation gets its own copy, as Lambda deserializes a fresh event every time.
    const event: DynamoDBStreamEvent = { Records: structuredClone([...records]) };
    let response: unknown;
    try {
      const { name, memoryMb } = this.consumer.definition;
      const context = lambdaContext({ functionName: name, timeoutSeconds: timeoutMs / 1000, memoryMb });
      response = await withTimeout(this.consumer.handler(event, context), timeoutMs);
    } catch (error) {
      return { kind: 'error', errorMessage: errorMessage(error) };
    } finally {
      this.context.onInvocationSettled();
    }
    return interpretResponse(response, records);
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

      const { length, batch } = this.nextWindow(cursor.buffer);
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

  /**
   * The records up to and including the batchSize-th one that passes the filters. Filtered-out
   * records inside the window are handled by moving the checkpoint past them.
   */
  private nextWindow(buffer: readonly DynamoDBRecord[]): { length: number; batch: DynamoDBRecord[] } {
    const { filters, batchSize } = this.consumer.definition;
    const batch: DynamoDBRecord[] = [];
    for (const [index, record] of buffer.entries()) {
      // No filter criteria means every record, as for a mapping without FilterCriteria.
      if (filters.length === 0 || matchesAny(filters, record)) batch.push(record);
      if (batch.length === batchSize) return { length: index + 1, batch };
    }
    return { length: buffer.length, batch };
  }

  /**
   * Delivers records in order until each one has succeeded or been set aside as a dead letter.
   * A reported item failure retries from the first failed record; a thrown error splits the batch
   * in two (splits do not use up retries, as in AWS); a record that keeps failing is retried
   * maxRetries times and then dead-lettered so the shard moves on.
   */
  private async deliver(streamArn: string, shardId: string, records: DynamoDBRecord[]): Promise<'done' | 'interrupted'> {
    const { maxRetries } = this.consumer.definition;
    const segments: DynamoDBRecord[][] = records.length > 0 ? [records] : [];
    let failingHead: string | undefined;
    let failures = 0;
    const countFailure = (head: string): number => {
      failures = head === failingHead ? failures + 1 : 1;
      failingHead = head;
      return failures;
    };

    while (segments.length > 0) {
      if (this.context.isStopping()) return 'interrupted';
      const segment = segments[0] ?? [];
      const result = await this.invoke(segment);

      if (result.kind === 'success') {
        segments.shift();
        await this.saveCheckpoint(shardId, { sequenceNumber: sequenceNumberOf(segment.at(-1)) });
        continue;
      }

      if (result.kind === 'partial') {
        if (result.firstFailedIndex > 0) {
          await this.saveCheckpoint(shardId, { sequenceNumber: sequenceNumberOf(segment[result.firstFailedIndex - 1]) });
        }
        const remaining = segment.slice(result.firstFailedIndex);
        const head = sequenceNumberOf(remaining[0]);
        const attempts = countFailure(head);
        if (attempts > maxRetries) {
          await this.setAside(streamArn, shardId, result.failedRecords, result.errorMessage, attempts);
          segments.shift();
          await this.saveCheckpoint(shardId, { sequenceNumber: sequenceNumberOf(segment.at(-1)) });
          failingHead = undefined;
          continue;
        }
        this.context.log(
          `${result.failedRecords.length} of ${segment.length} records failed, first ${head}; ` +
            `retry ${attempts} of ${maxRetries}`,
        );
        segments[0] = remaining;
        await this.sleep(this.context.retryDelayMs, this.retryWakers);
        continue;
      }

      if (segment.length > 1) {
        const middle = Math.ceil(segment.length / 2);
        segments.splice(0, 1, segment.slice(0, middle), segment.slice(middle));
        this.context.log(`batch of ${segment.length} failed (${result.errorMessage}); splitting it in two`);
        continue;
      }
      const head = sequenceNumberOf(segment[0]);
      const attempts = countFailure(head);
      if (attempts > maxRetries) {
        await this.setAside(streamArn, shardId, segment, result.errorMessage, attempts);
        segments.shift();
        await this.saveCheckpoint(shardId, { sequenceNumber: head });
        failingHead = undefined;
        continue;
      }
      this.context.log(`record ${head} failed (${result.errorMessage}); retry ${attempts} of ${maxRetries}`);
      await this.sleep(this.context.retryDelayMs, this.retryWakers);
    }
    return 'done';
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

/** Lambda's rules for a ReportBatchItemFailures response. */
function interpretResponse(response: unknown, records: readonly DynamoDBRecord[]): InvocationResult {
  if (typeof response !== 'object' || response === null) return { kind: 'success' };
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'error', errorMessage: 'the response has a batchItemFailures that is not a list' };
  }
  if (failures.length === 0) return { kind: 'success' };
  const positions = new Map(records.map((record, index) => [sequenceNumberOf(record), index]));
  const failedIndexes = new Set<number>();
  for (const failure of failures as unknown[]) {
    const identifier: unknown =
      typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const index = typeof identifier === 'string' && identifier !== '' ? positions.get(identifier) : undefined;
    if (index === undefined) {
      // AWS treats an empty or unknown itemIdentifier as a failure of the whole batch.
      return { kind: 'error', errorMessage: 'batchItemFailures names an itemIdentifier that is not in the batch' };
    }
    failedIndexes.add(index);
  }
  const sorted = [...failedIndexes].sort((a, b) => a - b);
  return {
    kind: 'partial',
    // Lambda checkpoints before the lowest failed sequence number, whatever the list's order.
    firstFailedIndex: sorted[0] ?? 0,
    failedRecords: sorted.map((index) => records[index]).filter((record): record is DynamoDBRecord => !!record),
    errorMessage: `the handler reported ${sorted.length} failed records`,
  };
}

/** Completes a stream record with the fields the event source mapping adds. */
function asDelivered(record: DynamoDBRecord, streamArn: string): DynamoDBRecord {
  return {
    ...record,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    eventSourceARN: streamArn,
  };
}


async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Node cannot cancel the handler; it runs on, as a timed-out Lambda's leftovers would not.
      reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
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

function sequenceNumberOf(record: DynamoDBRecord | undefined): string {
  return record?.dynamodb?.SequenceNumber ?? '';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Keep log lines short; a handler's error text is the one thing here it does not control.
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
