/**
 * Where the local event source mapping reads records from: DynamoDB Local's stream, through the
 * stream operations Lambda's pollers use, turned into the wire form Lambda delivers. Unit tests
 * inject an in-memory StreamSource instead.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as StreamsAttributeValue,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';
import { withoutSdkLogging } from '../shared/observability/sdk-logging';

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
  private clients: StreamSourceClients | undefined;

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

  private connect(): StreamSourceClients {
    this.clients ??= streamSourceClients(this.options);
    return this.clients;
  }
}

interface StreamSourceClients {
  tables: DynamoDBClient;
  streams: DynamoDBStreamsClient;
}

/**
 * The poller's clients. Like the functions' clients they go without the SDK's logger middleware:
 * it filtered a copy of every GetRecords page, CPU the poller took from the handlers it shares a
 * thread with (on AWS the event source mapping polls outside the function).
 */
export function streamSourceClients(options: DynamoDbStreamSourceOptions): StreamSourceClients {
  const config = {
    endpoint: options.endpoint,
    region: options.region ?? 'local',
    credentials: options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
    // The poller has its own retry loop; SDK retries would only delay the next poll.
    maxAttempts: 1,
  };
  return { tables: withoutSdkLogging(new DynamoDBClient(config)), streams: withoutSdkLogging(new DynamoDBStreamsClient(config)) };
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

export interface StreamSnapshot {
  streamArn: string;
  shards: StreamShard[];
  takenAt: number;
}

/** The stream and its shards, looked up once for all the consumers that read them. */
export class ShardDiscovery {
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

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** An error as one short log line. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Keep log lines short; a handler's error text is the one thing here it does not control.
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}
