import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as BatchGet from '../../shared/store/batch-get';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

let store: typeof BatchGet;
beforeAll(async () => {
  store = await import('../../shared/store/batch-get');
});
beforeEach(() => {
  documentMock.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const key = (n: number) => ({ pk: `K#${n}`, sk: 'K' });
const item = (n: number) => ({ ...key(n), n });
const requestedKeys = (call: number) => documentMock.commandCalls(BatchGetCommand)[call]!.args[0].input.RequestItems!['unit-table']!.Keys;

/** Runs `promise` to its end, letting every backoff timer fire; records each delay asked for. */
async function settle<T>(promise: Promise<T>): Promise<{ result?: T; error?: unknown; delays: number[] }> {
  const delays: number[] = [];
  const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
  const outcome = promise.then((result) => ({ result }), (error: unknown) => ({ error }));
  for (let round = 0; round < 50; round++) await vi.advanceTimersByTimeAsync(10_000);
  for (const call of setTimeoutSpy.mock.calls) delays.push(Number(call[1]));
  return { ...(await outcome), delays };
}

describe('batchGetAll', () => {
  it('asks 100 keys a request and returns every item found', async () => {
    documentMock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => ({
      Responses: { 'unit-table': input.RequestItems['unit-table']!.Keys.map((k) => ({ ...k, found: true })) },
    }));
    const { result } = await settle(store.batchGetAll(Array.from({ length: 250 }, (_, n) => key(n)), { consistentRead: true }));
    expect(result).toHaveLength(250);
    expect(documentMock.commandCalls(BatchGetCommand).map((_, call) => requestedKeys(call)?.length)).toEqual([100, 100, 50]);
    expect(documentMock.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['unit-table']!.ConsistentRead).toBe(true);
  });

  it('asks again for the unprocessed keys only, waiting longer each time', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    documentMock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { 'unit-table': [item(1)] }, UnprocessedKeys: { 'unit-table': { Keys: [key(2), key(3)] } } })
      .resolvesOnce({ Responses: { 'unit-table': [item(2)] }, UnprocessedKeys: { 'unit-table': { Keys: [key(3)] } } })
      .resolvesOnce({ Responses: { 'unit-table': [item(3)] } });
    const { result, delays } = await settle(store.batchGetAll([key(1), key(2), key(3)]));
    expect(result).toEqual([item(1), item(2), item(3)]);
    expect(requestedKeys(1)).toEqual([key(2), key(3)]);
    expect(requestedKeys(2)).toEqual([key(3)]);
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
  });

  it('waits a random time under the ceiling (jitter), never above it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    documentMock
      .on(BatchGetCommand)
      .resolvesOnce({ UnprocessedKeys: { 'unit-table': { Keys: [key(1)] } } })
      .resolvesOnce({ Responses: { 'unit-table': [item(1)] } });
    const { delays } = await settle(store.batchGetAll([key(1)]));
    const ceiling = store.batchGetRetryPolicy.baseDelayMs * 2;
    expect(delays).toEqual([ceiling * 0.5]);
  });

  it('after the bound of attempts throws a named error, never a partial result', async () => {
    documentMock.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [item(1)] }, UnprocessedKeys: { 'unit-table': { Keys: [key(2)] } } });
    documentMock.on(BatchGetCommand, { RequestItems: { 'unit-table': { Keys: [key(2)] } } }).resolves({ UnprocessedKeys: { 'unit-table': { Keys: [key(2)] } } });
    const { result, error, delays } = await settle(store.batchGetAll([key(1), key(2)]));
    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(store.BatchGetIncompleteError);
    expect(error).toMatchObject({ name: 'BatchGetIncompleteError', unprocessedKeys: 1, attempts: store.batchGetRetryPolicy.maxAttempts });
    expect(documentMock.commandCalls(BatchGetCommand)).toHaveLength(store.batchGetRetryPolicy.maxAttempts);
    expect(Math.max(...delays)).toBeLessThanOrEqual(store.batchGetRetryPolicy.maxDelayMs);
  });

  it('keeps `concurrency` requests in flight and still reads every chunk once', async () => {
    let inFlight = 0;
    let most = 0;
    documentMock.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return { Responses: { 'unit-table': input.RequestItems['unit-table']!.Keys } };
    });
    const { result } = await settle(store.batchGetAll(Array.from({ length: 1000 }, (_, n) => key(n)), { concurrency: 4 }));
    expect(result).toHaveLength(1000);
    expect(new Set(result!.map((found) => found.pk)).size).toBe(1000);
    expect(most).toBe(4);
  });

  it('projects the named attributes through placeholders (reserved words such as status)', async () => {
    documentMock.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [] } });
    await settle(store.batchGetAll([key(1)], { attributes: ['pk', 'status'] }));
    const request = documentMock.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['unit-table']!;
    expect(request.ProjectionExpression).toBe('#a0, #a1');
    expect(request.ExpressionAttributeNames).toEqual({ '#a0': 'pk', '#a1': 'status' });
    expect(request.ConsistentRead).toBeUndefined();
  });
});
