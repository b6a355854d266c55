import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ConsumerDefinition } from '../../shared/manifest';
import {
  DeadLetterNotFoundError,
  ExpiredIteratorError,
  StreamPoller,
  type IteratorStart,
  type RecordsPage,
  type StreamConsumer,
  type StreamHandler,
  type StreamShard,
  type StreamSource,
} from '../../local/stream-poller';

// ---------------------------------------------------------------------------------------------
// An in-memory DynamoDB stream with the API's paging, shard and iterator behaviour
// ---------------------------------------------------------------------------------------------

interface MemoryShard {
  shardId: string;
  parentShardId?: string;
  records: DynamoDBRecord[];
  closed: boolean;
}

const personalMarker = 'aigerim@example.kz';

class InMemoryStream implements StreamSource {
  streamArn: string | undefined = 'arn:aws:dynamodb:local:000000000000:table/trainings/stream/1';
  shards: MemoryShard[] = [{ shardId: 'shard-0001', records: [], closed: false }];
  pageSize = 100;
  /** Iterators issued before this generation are reported as expired. */
  private generation = 0;
  private nextSequence = 1;
  /** getRecords calls that will throw a transient error before succeeding again. */
  failingReads = 0;
  /** Lists shards newest first, so the poller cannot rely on the order to respect parents. */
  listNewestFirst = false;

  put(type: string, id: string, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT', shardId?: string): DynamoDBRecord {
    const shard = this.shards.find((candidate) => (shardId ? candidate.shardId === shardId : !candidate.closed));
    if (!shard) throw new Error('no open shard');
    const sequenceNumber = String(this.nextSequence++).padStart(21, '0');
    const keys = { pk: { S: `${type.toUpperCase()}#${id}` }, sk: { S: 'META' } };
    const image = { ...keys, type: { S: type }, id: { S: id }, email: { S: personalMarker } };
    const record: DynamoDBRecord = {
      eventID: `event-${sequenceNumber}`,
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: keys,
        ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
        SequenceNumber: sequenceNumber,
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    shard.records.push(record);
    return record;
  }

  putTrainings(...ids: string[]): void {
    for (const id of ids) this.put('Training', id);
  }

  /** What DynamoDB does every few hours: close the shard, continue in a child. */
  rollOver(): void {
    const current = this.shards.find((candidate) => !candidate.closed);
    if (!current) throw new Error('no open shard');
    current.closed = true;
    this.shards.push({
      shardId: `shard-${String(this.shards.length + 1).padStart(4, '0')}`,
      parentShardId: current.shardId,
      records: [],
      closed: false,
    });
  }

  expireIterators(): void {
    this.generation += 1;
  }

  recreate(): void {
    this.streamArn = 'arn:aws:dynamodb:local:000000000000:table/trainings/stream/2';
    this.shards = [{ shardId: 'shard-new-0001', records: [], closed: false }];
  }

  findStreamArn(): Promise<string | undefined> {
    return Promise.resolve(this.streamArn);
  }

  listShards(streamArn: string): Promise<StreamShard[]> {
    if (streamArn !== this.streamArn) return Promise.reject(new Error('ResourceNotFoundException'));
    const listed = this.shards.map(({ shardId, parentShardId }) => (parentShardId ? { shardId, parentShardId } : { shardId }));
    return Promise.resolve(this.listNewestFirst ? listed.reverse() : listed);
  }

  getShardIterator(streamArn: string, shardId: string, start: IteratorStart): Promise<string | undefined> {
    const shard = this.shards.find((candidate) => candidate.shardId === shardId);
    if (streamArn !== this.streamArn || !shard) return Promise.resolve(undefined);
    const position =
      start.type === 'TRIM_HORIZON'
        ? 0
        : shard.records.findIndex((record) => record.dynamodb?.SequenceNumber === start.sequenceNumber) + 1;
    return Promise.resolve(`${this.generation}|${shardId}|${position}`);
  }

  getRecords(iterator: string): Promise<RecordsPage> {
    if (this.failingReads > 0) {
      this.failingReads -= 1;
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8000'));
    }
    const [generation, shardId, position] = iterator.split('|');
    if (Number(generation) !== this.generation) return Promise.reject(new ExpiredIteratorError('Iterator expired'));
    const shard = this.shards.find((candidate) => candidate.shardId === shardId);
    if (!shard) return Promise.reject(new Error('ResourceNotFoundException'));
    const from = Number(position);
    // A copy, as the real API returns freshly parsed JSON.
    const records = structuredClone(shard.records.slice(from, from + this.pageSize));
    const next = from + records.length;
    if (shard.closed && next >= shard.records.length) return Promise.resolve({ records });
    return Promise.resolve({ records, nextIterator: `${this.generation}|${shardId}|${next}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function consumerDefinition(overrides: Partial<ConsumerDefinition> = {}): ConsumerDefinition {
  return {
    name: 'workflow',
    handler: 'functions/streams/workflow.ts',
    filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['Training'] } } } }],
    batchSize: 3,
    maxRetries: 2,
    permissions: {},
    ...overrides,
  };
}

function idsOf(event: DynamoDBStreamEvent): string[] {
  return event.Records.map((record) => record.dynamodb?.NewImage?.id?.S ?? '?');
}

function failures(event: DynamoDBStreamEvent, ...ids: string[]): DynamoDBBatchResponse {
  return {
    batchItemFailures: event.Records.filter((record) => ids.includes(record.dynamodb?.NewImage?.id?.S ?? '')).map(
      (record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }),
    ),
  };
}

/** A handler that records each invocation's ids and otherwise behaves as `behaviour` says. */
function recorder(behaviour: (event: DynamoDBStreamEvent, call: number) => Promise<DynamoDBBatchResponse | void> = () => Promise.resolve()) {
  const calls: string[][] = [];
  const events: DynamoDBStreamEvent[] = [];
  const handler: StreamHandler = (event) => {
    calls.push(idsOf(event));
    events.push(event);
    return behaviour(event, calls.length);
  };
  return { calls, events, handler, delivered: () => calls.flat() };
}

let stateDirectory: string;
let stream: InMemoryStream;
let logs: string[];
const pollers: StreamPoller[] = [];

beforeEach(async () => {
  stateDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'stream-poller-'));
  stream = new InMemoryStream();
  logs = [];
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  await fs.rm(stateDirectory, { recursive: true, force: true });
});

function startPoller(
  consumers: StreamConsumer[],
  options: { pollIntervalMs?: number; shardDiscoveryIntervalMs?: number } = {},
): StreamPoller {
  const poller = new StreamPoller({
    source: stream,
    consumers,
    stateDirectory,
    pollIntervalMs: options.pollIntervalMs ?? 5,
    retryDelayMs: 1,
    shardDiscoveryIntervalMs: options.shardDiscoveryIntervalMs ?? 1_000,
    log: (message) => logs.push(message),
  });
  pollers.push(poller);
  poller.start();
  return poller;
}

// ---------------------------------------------------------------------------------------------

describe('StreamPoller delivery', () => {
  it('delivers matching records in order, in batches of at most batchSize, shaped like Lambda events', async () => {
    stream.putTrainings('t1', 't2', 't3', 't4', 't5');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 2 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2'], ['t3', 't4'], ['t5']]);
    const [first] = workflow.events[0]?.Records ?? [];
    expect(first).toEqual({
      eventID: 'event-000000000000000000001',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      eventSourceARN: stream.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: 1_700_000_000,
        Keys: { pk: { S: 'TRAINING#t1' }, sk: { S: 'META' } },
        NewImage: {
          pk: { S: 'TRAINING#t1' },
          sk: { S: 'META' },
          type: { S: 'Training' },
          id: { S: 't1' },
          email: { S: personalMarker },
        },
        SequenceNumber: '000000000000000000001',
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });

  it('skips records the filters reject and fills batches with the ones they accept', async () => {
    stream.put('Training', 't1');
    stream.put('Registration', 'r1');
    stream.put('Training', 't2', 'REMOVE');
    stream.put('Training', 't3', 'MODIFY');
    stream.put('Certificate', 'c1');
    stream.put('Training', 't4');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 2 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't3'], ['t4']]);
  });

  it('delivers every record to a consumer without filters', async () => {
    stream.put('Training', 't1');
    stream.put('Registration', 'r1', 'REMOVE');
    const all = recorder();
    const poller = startPoller([{ definition: consumerDefinition({ filters: [] }), handler: all.handler }]);
    await poller.drain();

    expect(all.events.flatMap((event) => event.Records.map((record) => record.eventName))).toEqual(['INSERT', 'REMOVE']);
  });

  it('delivers records written while running, and new shards after a rollover, parents first', async () => {
    stream.listNewestFirst = true;
    stream.putTrainings('t1', 't2');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 10 }), handler: workflow.handler }]);
    await poller.drain();
    stream.putTrainings('t3');
    stream.rollOver();
    stream.putTrainings('t4');
    stream.rollOver();
    stream.putTrainings('t5', 't6');
    await poller.drain();

    expect(workflow.delivered()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('reads a parent shard completely before its child even when both are already there', async () => {
    stream.listNewestFirst = true;
    stream.pageSize = 1;
    stream.putTrainings('t1', 't2', 't3');
    stream.rollOver();
    stream.putTrainings('t4', 't5');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.delivered()).toEqual(['t1', 't2', 't3', 't4', 't5']);
  });

  it('runs each consumer as its own mapping: one consumer failing does not hold back another', async () => {
    stream.putTrainings('t1', 't2');
    const broken = recorder(() => Promise.reject(new Error('boom')));
    const healthy = recorder();
    const poller = startPoller([
      { definition: consumerDefinition({ name: 'broken', maxRetries: 1 }), handler: broken.handler },
      { definition: consumerDefinition({ name: 'analytics', filters: [] }), handler: healthy.handler },
    ]);
    await poller.drain();

    expect(healthy.calls).toEqual([['t1', 't2']]);
    expect((await poller.listDeadLetters('broken')).length).toBe(2);
    expect(await poller.listDeadLetters('analytics')).toEqual([]);
  });

  it('drain() also waits for records that one consumer’s handler writes for another', async () => {
    stream.putTrainings('t1');
    const workflow = recorder(async () => {
      // Slow enough that the mailer has been idle for a while when the outbox item appears.
      await new Promise((resolve) => setTimeout(resolve, 50));
      stream.put('Outbox', 'o1');
    });
    const mailed: string[] = [];
    const mailer = recorder(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      mailed.push(...idsOf(event));
    });
    const poller = startPoller([
      { definition: consumerDefinition(), handler: workflow.handler },
      {
        definition: consumerDefinition({ name: 'mailer', filters: [{ dynamodb: { NewImage: { type: { S: ['Outbox'] } } } }] }),
        handler: mailer.handler,
      },
    ]);
    await poller.drain();

    expect(mailed).toEqual(['o1']);
  });

  it('drain() looks for new shards at once instead of waiting for the next discovery', async () => {
    stream.putTrainings('t1');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }], {
      shardDiscoveryIntervalMs: 60_000,
    });
    await poller.drain();
    // A second open shard, as DynamoDB creates for a busy table; nothing closes, so only an
    // explicit look finds it.
    stream.shards.push({ shardId: 'shard-0002', records: [], closed: false });
    stream.put('Training', 't2', 'INSERT', 'shard-0002');
    await poller.drain({ timeoutMs: 1_000 });

    expect(workflow.delivered()).toEqual(['t1', 't2']);
  });

  it('waits for the table: no stream yet is not an error, and records are delivered once it exists', async () => {
    stream.streamArn = undefined;
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();
    expect(workflow.calls).toEqual([]);

    stream.streamArn = 'arn:aws:dynamodb:local:000000000000:table/trainings/stream/1';
    stream.putTrainings('t1');
    await poller.drain();
    expect(workflow.calls).toEqual([['t1']]);
  });

  it('reads a re-created table from its new stream’s beginning', async () => {
    stream.putTrainings('t1');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();
    stream.recreate();
    stream.putTrainings('t2');
    await poller.drain();

    expect(workflow.calls).toEqual([['t1'], ['t2']]);
    expect(workflow.events[1]?.Records[0]?.eventSourceARN).toBe(stream.streamArn);
  });

  it('passes a Lambda-like context, as middy and Powertools handlers expect', async () => {
    stream.putTrainings('t1');
    const contexts: Context[] = [];
    const poller = startPoller([
      {
        definition: consumerDefinition({ timeoutSeconds: 60, memoryMb: 512 }),
        handler: (_event, context) => {
          contexts.push(context);
          return Promise.resolve();
        },
      },
    ]);
    await poller.waitForIdle();

    const [context] = contexts;
    expect(context).toMatchObject({ functionName: 'workflow', memoryLimitInMB: '512', functionVersion: '$LATEST' });
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(50_000);
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(60_000);
  });

  it('gives every invocation its own copy of the records', async () => {
    stream.putTrainings('t1', 't2');
    const mutating = recorder((event, call) => {
      for (const record of event.Records) delete record.dynamodb;
      return Promise.reject(new Error(`call ${call}`));
    });
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 0 }), handler: mutating.handler }]);
    await poller.drain();

    const letters = await poller.listDeadLetters();
    expect(letters.flatMap((letter) => letter.records.map((record) => record.dynamodb?.NewImage?.id?.S))).toEqual(['t1', 't2']);
  });
});

describe('StreamPoller failures', () => {
  it('retries from the first failed record after a partial batch failure, without redelivering earlier ones', async () => {
    stream.putTrainings('t1', 't2', 't3', 't4');
    const workflow = recorder((event, call) => Promise.resolve(call === 1 ? failures(event, 't2') : undefined));
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 3 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2', 't3'], ['t2', 't3'], ['t4']]);
    expect(await poller.listDeadLetters()).toEqual([]);
  });

  it('uses the lowest failed sequence number whatever order the failures are listed in', async () => {
    stream.putTrainings('t1', 't2', 't3');
    const workflow = recorder((event, call) => {
      if (call > 1) return Promise.resolve();
      const response = failures(event, 't2', 't3');
      response.batchItemFailures.reverse();
      return Promise.resolve(response);
    });
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2', 't3'], ['t2', 't3']]);
  });

  it('treats an empty or absent response, null failures and an empty list as success', async () => {
    stream.putTrainings('t1', 't2', 't3', 't4');
    const responses = [undefined, { batchItemFailures: [] }, { batchItemFailures: null }, {}];
    const workflow = recorder((_event, call) => Promise.resolve(responses[call - 1] as DynamoDBBatchResponse | undefined));
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 1 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1'], ['t2'], ['t3'], ['t4']]);
  });

  it('treats an empty or unknown itemIdentifier as a failure of the whole batch', async () => {
    stream.putTrainings('t1', 't2');
    const workflow = recorder((_event, call) => {
      if (call === 1) return Promise.resolve({ batchItemFailures: [{ itemIdentifier: '' }] });
      if (call === 2) return Promise.resolve({ batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] });
      return Promise.resolve();
    });
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();

    // Both records come back: the batch failed as a whole, then was split.
    expect(workflow.calls).toEqual([['t1', 't2'], ['t1'], ['t1'], ['t2']]);
  });

  it('splits a batch that throws until the poison record is alone, then retries it maxRetries times', async () => {
    stream.putTrainings('t1', 't2', 't3', 't4', 't5');
    const workflow = recorder((event) =>
      idsOf(event).includes('t3') ? Promise.reject(new Error('cannot render certificate')) : Promise.resolve(),
    );
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 4, maxRetries: 2 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([
      ['t1', 't2', 't3', 't4'],
      ['t1', 't2'],
      ['t3', 't4'],
      ['t3'],
      ['t3'],
      ['t3'],
      ['t4'],
      ['t5'],
    ]);
    const letters = await poller.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      consumer: 'workflow',
      streamArn: stream.streamArn,
      shardId: 'shard-0001',
      errorMessage: 'cannot render certificate',
      attempts: 3,
      firstSequenceNumber: '000000000000000000003',
      lastSequenceNumber: '000000000000000000003',
      replayAttempts: 0,
    });
    expect(letters[0]?.records.map((record) => record.dynamodb?.NewImage?.id?.S)).toEqual(['t3']);
    expect(letters[0]?.records[0]?.eventSourceARN).toBe(stream.streamArn);
    expect(Date.parse(letters[0]?.failedAt ?? '')).not.toBeNaN();
  });

  it('dead-letters only the records still reported failed once retries run out, and moves on', async () => {
    stream.putTrainings('t1', 't2', 't3', 't4', 't5');
    const workflow = recorder((event) => Promise.resolve(failures(event, 't2', 't3')));
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 4, maxRetries: 1 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2', 't3', 't4'], ['t2', 't3', 't4'], ['t5']]);
    const letters = await poller.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.records.map((record) => record.dynamodb?.NewImage?.id?.S)).toEqual(['t2', 't3']);
    expect(letters[0]?.attempts).toBe(2);
  });

  it('starts counting retries again when a retry makes progress', async () => {
    stream.putTrainings('t1', 't2', 't3');
    // Every call fails a different, later record: progress each time, so nothing is dead-lettered
    // although three calls in a row fail with maxRetries 1.
    const failedPerCall = ['t1', 't2', 't3'];
    const workflow = recorder((event, call) => Promise.resolve(failures(event, failedPerCall[call - 1] ?? '')));
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 1 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2', 't3'], ['t1', 't2', 't3'], ['t2', 't3'], ['t3']]);
    expect(await poller.listDeadLetters()).toEqual([]);
  });

  it('with maxRetries 0 dead-letters a failing record after its first attempt alone', async () => {
    stream.putTrainings('t1');
    const workflow = recorder(() => Promise.reject(new Error('always')));
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 0 }), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1']]);
    expect((await poller.listDeadLetters())[0]?.attempts).toBe(1);
  });

  it('treats a handler that outlives its timeout as failed', async () => {
    stream.putTrainings('t1');
    const slow = recorder((_event, call) =>
      call === 1 ? new Promise<void>((resolve) => setTimeout(resolve, 2_000)) : Promise.resolve(),
    );
    const poller = startPoller([{ definition: consumerDefinition({ timeoutSeconds: 0.05 }), handler: slow.handler }]);
    await poller.drain();

    expect(slow.calls).toEqual([['t1'], ['t1']]);
    expect(logs.some((line) => line.includes('Task timed out after 0.05 seconds'))).toBe(true);
  });

  it('survives transient stream errors, logging each once, and loses nothing', async () => {
    stream.putTrainings('t1', 't2');
    stream.failingReads = Number.POSITIVE_INFINITY;
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await expect(poller.drain({ timeoutMs: 100 })).rejects.toThrow('still busy');
    stream.failingReads = 0;
    await poller.drain();

    expect(workflow.delivered()).toEqual(['t1', 't2']);
    expect(logs.filter((line) => line.includes('ECONNREFUSED'))).toHaveLength(1);
  });

  it('re-opens an expired iterator at the checkpoint without loss or redelivery', async () => {
    stream.putTrainings('t1', 't2');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();
    stream.expireIterators();
    stream.putTrainings('t3');
    await poller.drain();

    expect(workflow.calls).toEqual([['t1', 't2'], ['t3']]);
    expect(logs).toEqual([]);
  });

  it('never logs record contents', async () => {
    stream.putTrainings('t1', 't2', 't3');
    const workflow = recorder((event) =>
      idsOf(event).includes('t2') ? Promise.reject(new Error('failed')) : Promise.resolve(failures(event, 't3')),
    );
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 1 }), handler: workflow.handler }]);
    await poller.drain();

    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(personalMarker);
    expect(logs.join('\n')).not.toContain('TRAINING#');
  });
});

describe('StreamPoller dead letters', () => {
  it('replays a dead letter to its consumer and removes it on success', async () => {
    stream.putTrainings('t1', 't2');
    let broken = true;
    const workflow = recorder((event) =>
      broken && idsOf(event).includes('t1') ? Promise.reject(new Error('template missing')) : Promise.resolve(),
    );
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 0 }), handler: workflow.handler }]);
    await poller.drain();
    const [letter] = await poller.listDeadLetters();
    expect(letter?.records).toHaveLength(1);

    broken = false;
    const outcome = await poller.replayDeadLetter(letter?.id ?? '');

    expect(outcome).toEqual({ id: letter?.id, status: 'delivered', deliveredRecords: 1 });
    expect(workflow.calls.at(-1)).toEqual(['t1']);
    expect(workflow.events.at(-1)?.Records).toEqual(letter?.records);
    expect(await poller.listDeadLetters()).toEqual([]);
  });

  it('keeps a dead letter whose replay fails, with only the records that failed again', async () => {
    stream.putTrainings('t1', 't2');
    let mode: 'throw' | 'partial' = 'throw';
    const workflow = recorder((event) =>
      mode === 'throw' ? Promise.reject(new Error('down')) : Promise.resolve(failures(event, 't2')),
    );
    const poller = startPoller([{ definition: consumerDefinition({ maxRetries: 0, batchSize: 1 }), handler: workflow.handler }]);
    await poller.drain();
    expect(await poller.listDeadLetters()).toHaveLength(2);
    await poller.stop();

    // Now t1 goes through and t2 is reported failed again.
    mode = 'partial';
    const [first, second] = await poller.listDeadLetters();
    expect(await poller.replayDeadLetter(first?.id ?? '')).toMatchObject({ status: 'delivered' });
    const failed = await poller.replayDeadLetter(second?.id ?? '');

    expect(failed).toEqual({
      id: second?.id,
      status: 'failed',
      errorMessage: 'the handler reported 1 failed records',
      remainingRecords: 1,
    });
    const [kept] = await poller.listDeadLetters();
    expect(kept).toMatchObject({ id: second?.id, replayAttempts: 1 });
    expect(kept?.lastReplayAt).toBeDefined();
  });

  it('rejects an unknown or unsafe dead-letter id', async () => {
    const poller = startPoller([{ definition: consumerDefinition(), handler: recorder().handler }]);
    await expect(poller.replayDeadLetter('nope')).rejects.toThrow(DeadLetterNotFoundError);
    await expect(poller.replayDeadLetter('../checkpoints/workflow')).rejects.toThrow(DeadLetterNotFoundError);
  });

  it('stores dead letters as JSON files under stateDirectory/dead-letters', async () => {
    stream.putTrainings('t1');
    const poller = startPoller([
      { definition: consumerDefinition({ maxRetries: 0 }), handler: () => Promise.reject(new Error('x')) },
    ]);
    await poller.drain();

    const [letter] = await poller.listDeadLetters();
    const file = path.join(stateDirectory, 'dead-letters', `${letter?.id ?? ''}.json`);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(letter);
  });
});

describe('StreamPoller checkpoints', () => {
  it('resumes after a restart where it left off: nothing lost, nothing redelivered', async () => {
    stream.putTrainings('t1', 't2', 't3');
    stream.put('Registration', 'r1');
    const first = recorder();
    const before = startPoller([{ definition: consumerDefinition(), handler: first.handler }]);
    await before.drain();
    await before.stop();
    stream.putTrainings('t4');
    stream.rollOver();
    stream.putTrainings('t5');

    const second = recorder();
    const after = startPoller([{ definition: consumerDefinition(), handler: second.handler }]);
    await after.drain();

    expect(first.delivered()).toEqual(['t1', 't2', 't3']);
    expect(second.delivered()).toEqual(['t4', 't5']);
  });

  it('keeps a separate position per consumer', async () => {
    stream.putTrainings('t1', 't2');
    const workflowBefore = recorder();
    const before = startPoller([{ definition: consumerDefinition(), handler: workflowBefore.handler }]);
    await before.drain();
    await before.stop();

    const workflowAfter = recorder();
    const analytics = recorder();
    const after = startPoller([
      { definition: consumerDefinition(), handler: workflowAfter.handler },
      { definition: consumerDefinition({ name: 'analytics' }), handler: analytics.handler },
    ]);
    await after.drain();

    expect(workflowAfter.calls).toEqual([]);
    expect(analytics.delivered()).toEqual(['t1', 't2']);
  });

  it('persists checkpoints as JSON per consumer and shard', async () => {
    stream.putTrainings('t1');
    stream.put('Registration', 'r1');
    const poller = startPoller([{ definition: consumerDefinition(), handler: recorder().handler }]);
    await poller.drain();

    const saved: unknown = JSON.parse(await fs.readFile(path.join(stateDirectory, 'checkpoints', 'workflow.json'), 'utf8'));
    // The filtered-out record counts as handled, so the checkpoint is past it.
    expect(saved).toEqual({
      streamArn: stream.streamArn,
      shards: { 'shard-0001': { sequenceNumber: '000000000000000000002' } },
    });
  });

  it('stop() lets the batch in flight finish and checkpoints it', async () => {
    stream.putTrainings('t1', 't2');
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const invoked = new Promise<void>((resolve) => (started = resolve));
    const slow = recorder(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    );
    const poller = startPoller([{ definition: consumerDefinition({ batchSize: 1 }), handler: slow.handler }]);
    await invoked;
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(slow.calls).toEqual([['t1']]);
    const next = recorder();
    const restarted = startPoller([{ definition: consumerDefinition({ batchSize: 1 }), handler: next.handler }]);
    await restarted.drain();
    expect(next.calls).toEqual([['t2']]);
  });

  it('stops during retries without skipping the failing record', async () => {
    stream.putTrainings('t1');
    const failing = recorder(() => Promise.reject(new Error('down')));
    const poller = new StreamPoller({
      source: stream,
      consumers: [{ definition: consumerDefinition({ maxRetries: 1000 }), handler: failing.handler }],
      stateDirectory,
      pollIntervalMs: 5,
      retryDelayMs: 60_000,
      log: (message) => logs.push(message),
    });
    poller.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await poller.stop();

    const next = recorder();
    const restarted = startPoller([{ definition: consumerDefinition(), handler: next.handler }]);
    await restarted.drain();
    expect(next.calls).toEqual([['t1']]);
    expect(await restarted.listDeadLetters()).toEqual([]);
  });

  it('starts from the beginning when the checkpoint file is corrupt, and says so', async () => {
    await fs.mkdir(path.join(stateDirectory, 'checkpoints'), { recursive: true });
    await fs.writeFile(path.join(stateDirectory, 'checkpoints', 'workflow.json'), '{ not json');
    stream.putTrainings('t1');
    const workflow = recorder();
    const poller = startPoller([{ definition: consumerDefinition(), handler: workflow.handler }]);
    await poller.drain();

    expect(workflow.calls).toEqual([['t1']]);
    expect(logs.some((line) => line.includes('checkpoint file unreadable'))).toBe(true);
  });
});

describe('StreamPoller configuration', () => {
  it('rejects consumers that cannot work', () => {
    const make = (definition: ConsumerDefinition, second?: ConsumerDefinition) =>
      new StreamPoller({
        source: stream,
        stateDirectory,
        consumers: [definition, ...(second ? [second] : [])].map((d) => ({ definition: d, handler: () => Promise.resolve() })),
      });
    expect(() => make(consumerDefinition({ batchSize: 0 }))).toThrow('batchSize');
    expect(() => make(consumerDefinition({ maxRetries: -1 }))).toThrow('maxRetries');
    expect(() => make(consumerDefinition(), consumerDefinition())).toThrow('Two stream consumers');
    expect(() =>
      make(consumerDefinition({ filters: [{ a: [{ suffix: 'x' }] } as unknown as ConsumerDefinition['filters'][number]] })),
    ).toThrow('workflow.filters[0].a');
  });

  it('refuses drain() before start()', async () => {
    const poller = new StreamPoller({ source: stream, stateDirectory, consumers: [] });
    await expect(poller.drain()).rejects.toThrow('start()');
  });
});
