import { paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
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
