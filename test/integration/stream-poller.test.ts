/**
 * The stream poller against real DynamoDB Local. It starts its own emulator on a free port, so it
 * does not depend on (or disturb) the shared local stack of the other integration tests.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb';
import { findFreePort } from '../../local/ports';
import { StreamPoller, type StreamConsumer } from '../../local/stream-poller';
import { consumers, type ConsumerDefinition } from '../../shared/manifest';
import { createTableInput } from '../../shared/store/table';

const tableName = 'stream-poller-test';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let dynamoDb: DynamoDbLocal;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let stateDirectory: string;
let poller: StreamPoller;

/** Every delivered record's training id, per invocation. */
let invocations: string[][] = [];
let events: DynamoDBStreamEvent[] = [];
const failedOnce = new Set<string>();

// The real workflow consumer's filters, so the manifest entry is what is tested.
const definition: ConsumerDefinition = {
  ...consumers.workflow,
  name: 'workflow-under-test',
  batchSize: 10,
  maxRetries: 1,
  timeoutSeconds: 5,
};

function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  events.push(event);
  const ids = event.Records.map((record) => record.dynamodb?.NewImage?.id?.S ?? '?');
  invocations.push(ids);
  if (ids.some((id) => id.startsWith('poison'))) return Promise.reject(new Error('cannot handle poison'));
  const batchItemFailures = event.Records.filter((record) => {
    const id = record.dynamodb?.NewImage?.id?.S ?? '';
    if (!id.startsWith('flaky') || failedOnce.has(id)) return false;
    failedOnce.add(id);
    return true;
  }).map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }));
  return Promise.resolve({ batchItemFailures });
}

function newPoller(): StreamPoller {
  const consumer: StreamConsumer = { definition, handler };
  return new StreamPoller({
    endpoint: dynamoDb.endpoint,
    region: 'local',
    credentials,
    tableName,
    consumers: [consumer],
    stateDirectory,
    pollIntervalMs: 50,
    retryDelayMs: 20,
    log: () => undefined,
  });
}

async function putItem(type: string, id: string): Promise<void> {
  await documents.send(
    new PutCommand({ TableName: tableName, Item: { pk: `${type.toUpperCase()}#${id}`, sk: 'META', type, id, title: `Title ${id}` } }),
  );
}

beforeAll(async () => {
  stateDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'stream-poller-it-'));
  dynamoDb = await startDynamoDbLocal({ port: await findFreePort() });
  client = new DynamoDBClient({ endpoint: dynamoDb.endpoint, region: 'local', credentials });
  documents = DynamoDBDocumentClient.from(client);
  // Started before the table exists, as `npm start` may be: the poller must wait for it.
  poller = newPoller();
  poller.start();
  await poller.drain();
  await client.send(new CreateTableCommand(createTableInput(tableName)));
}, 60_000);

afterAll(async () => {
  await poller?.stop();
  client?.destroy();
  await dynamoDb?.stop();
  if (stateDirectory) await fs.rm(stateDirectory, { recursive: true, force: true });
});

beforeEach(() => {
  invocations = [];
  events = [];
});

describe('StreamPoller on DynamoDB Local', () => {
  it('delivers the records the manifest filter accepts, shaped like Lambda’s event', async () => {
    await putItem('Training', 'training-1');
    await putItem('EmailClaim', 'claim-1');
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'TRAINING#training-1', sk: 'META' },
        UpdateExpression: 'SET title = :title, badge = :badge, seats = :seats, tags = :tags, sessions = :sessions',
        ExpressionAttributeValues: {
          ':title': 'Renamed',
          ':badge': new Uint8Array([1, 2, 3]),
          ':seats': 30,
          ':tags': new Set(['math', 'physics']),
          ':sessions': [{ room: 'A1', online: false, note: null }],
        },
      }),
    );
    await poller.drain();

    expect(invocations.flat()).toEqual(['training-1', 'training-1']);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const records = events.flatMap((event) => event.Records);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY']);
    const modify = records[1];
    expect(modify).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      eventSourceARN: Table?.LatestStreamArn,
      dynamodb: {
        Keys: { pk: { S: 'TRAINING#training-1' }, sk: { S: 'META' } },
        NewImage: {
          type: { S: 'Training' },
          title: { S: 'Renamed' },
          // Binary arrives base64-encoded and numbers as strings, as in Lambda's JSON event.
          badge: { B: 'AQID' },
          seats: { N: '30' },
          tags: { SS: ['math', 'physics'] },
          sessions: { L: [{ M: { room: { S: 'A1' }, online: { BOOL: false }, note: { NULL: true } } }] },
        },
        OldImage: { type: { S: 'Training' }, title: { S: 'Title training-1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof modify?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(modify?.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
    expect(modify?.dynamodb?.SizeBytes).toBeGreaterThan(0);
  });

  it('retries from the first failed record after a partial batch failure', async () => {
    await poller.stop();
    await putItem('Training', 'steady-1');
    await putItem('Training', 'flaky-1');
    await putItem('Training', 'steady-2');
    poller = newPoller();
    poller.start();
    await poller.drain();

    expect(invocations).toEqual([
      ['steady-1', 'flaky-1', 'steady-2'],
      ['flaky-1', 'steady-2'],
    ]);
  });

  it('splits a failing batch, dead-letters the poison record after its retries and moves on', async () => {
    await poller.stop();
    await putItem('Training', 'before-poison');
    await putItem('Training', 'poison-1');
    await putItem('Training', 'after-poison');
    poller = newPoller();
    poller.start();
    await poller.drain();

    expect(invocations).toEqual([
      ['before-poison', 'poison-1', 'after-poison'],
      ['before-poison', 'poison-1'],
      ['before-poison'],
      ['poison-1'],
      ['poison-1'],
      ['after-poison'],
    ]);
    const letters = await poller.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer: 'workflow-under-test', errorMessage: 'cannot handle poison', attempts: 2 });
    expect(letters[0]?.records.map((record) => record.dynamodb?.NewImage?.id?.S)).toEqual(['poison-1']);

    const replay = await poller.replayDeadLetter(letters[0]?.id ?? '');
    expect(replay).toMatchObject({ status: 'failed', errorMessage: 'cannot handle poison', remainingRecords: 1 });
  });

  it('resumes from its checkpoint after a restart without redelivering', async () => {
    await poller.stop();
    await putItem('Training', 'while-stopped');
    poller = newPoller();
    poller.start();
    await poller.drain();

    expect(invocations).toEqual([['while-stopped']]);
  });
});
