import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys a request. */
const KEYS_PER_REQUEST = 100;

/**
 * The one retry policy of every BatchGet: DynamoDB answers some keys "unprocessed" when it
 * throttles, and asking again at once only throttles again. So each retry waits a random time up
 * to an exponentially growing ceiling (full jitter, so workers that were throttled together do not
 * come back together), and after `maxAttempts` requests for the same keys the read fails.
 */
export const batchGetRetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2_000 } as const;

/**
 * DynamoDB kept some keys unprocessed through every attempt. Thrown rather than returning what
 * was read: a caller that decides (completion, delivery, aggregates) must never decide on part of
 * the items as if the rest did not exist.
 */
export class BatchGetIncompleteError extends Error {
  constructor(
    readonly unprocessedKeys: number,
    readonly attempts: number,
  ) {
    super(`DynamoDB left ${unprocessedKeys} key(s) unprocessed after ${attempts} attempts; try again shortly.`);
    this.name = 'BatchGetIncompleteError';
  }
}

export interface BatchGetOptions {
  /** Strongly consistent reads (for reads that decide what is written). */
  consistentRead?: boolean;
  /** Only these attributes (the names go through placeholders, so reserved words are fine). */
  attributes?: readonly string[];
  /** Requests of 100 keys in flight at once (default 1). */
  concurrency?: number;
}

function retryDelay(attempt: number): number {
  const ceiling = Math.min(batchGetRetryPolicy.maxDelayMs, batchGetRetryPolicy.baseDelayMs * 2 ** attempt);
  return Math.random() * ceiling;
}

async function getChunk(keys: readonly Key[], options: BatchGetOptions): Promise<Item[]> {
  const projection = options.attributes
    ? {
        ProjectionExpression: options.attributes.map((_, index) => `#a${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((name, index) => [`#a${index}`, name])),
      }
    : {};
  const items: Item[] = [];
  let pending: Key[] = [...keys];
  for (let attempt = 1; ; attempt++) {
    const { Responses, UnprocessedKeys } = await documentClient.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys: pending, ...(options.consistentRead ? { ConsistentRead: true } : {}), ...projection } },
      }),
    );
    items.push(...(Responses?.[tableName] ?? []));
    pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    if (pending.length === 0) return items;
    if (attempt >= batchGetRetryPolicy.maxAttempts) throw new BatchGetIncompleteError(pending.length, attempt);
    await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
  }
}

/**
 * Every item of these keys that exists, in no particular order (missing keys are simply absent):
 * 100 keys a request, `concurrency` requests in flight, unprocessed keys retried under
 * `batchGetRetryPolicy`. Either every key was read or it throws BatchGetIncompleteError.
 */
export async function batchGetAll(keys: readonly Key[], options: BatchGetOptions = {}): Promise<Item[]> {
  const chunks: Key[][] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) chunks.push(keys.slice(start, start + KEYS_PER_REQUEST));
  const found: Item[] = [];
  let next = 0;
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, chunks.length));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        found.push(...(await getChunk(chunk, options)));
      }
    }),
  );
  return found;
}
