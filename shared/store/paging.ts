import { BatchGetCommand, paginateQuery, type BatchGetCommandOutput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../errors';
import { documentClient, tableName } from './client';

type Key = Record<string, unknown>;

/**
 * The store's cursors: the last evaluated key, base64url-encoded. Readable by design: the HTTP
 * layer seals them before they leave (shared/http/cursors.ts); only the use cases see them bare.
 */
export function encodeCursor(lastEvaluatedKey: Key | undefined): string | undefined {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, expectedKeys: readonly string[]): Key | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      expectedKeys.every((key) => typeof (parsed as Key)[key] === 'string') &&
      Object.keys(parsed).length === expectedKeys.length
    ) {
      return parsed as Key;
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError();
}

/** Every item a Query matches, page by page to the end: for lists that are small by design. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Key[]> {
  const items: Key[] = [];
  for await (const page of paginateQuery({ client: documentClient }, { TableName: tableName, ...input })) items.push(...(page.Items ?? []));
  return items;
}

/**
 * Every item of these keys that exists (BatchGet: 100 keys a request, unprocessed keys retried
 * with a growing pause), in any order.
 */
export async function batchGetAll(keys: readonly Key[], options: { consistentRead?: boolean } = {}): Promise<Key[]> {
  const found: Key[] = [];
  for (let index = 0; index < keys.length; index += 100) {
    let pending: Key[] | undefined = keys.slice(index, index + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error('DynamoDB kept returning unprocessed keys.');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result: BatchGetCommandOutput = await documentClient.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(options.consistentRead ? { ConsistentRead: true } : {}) } } }));
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}
