import { paginateQuery, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../errors';
import { documentClient, tableName } from './client';
import { tableShape, type GlobalIndexName } from './table';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/** One page of a list: its items and, when there are more, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** What a paged read is asked for: how many items at most, and where the last page ended. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

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

/** The attributes of a last evaluated key: the table's keys, and the index's when reading one. */
function cursorKeysOf(indexName: string | undefined): string[] {
  const table = [tableShape.partitionKey, tableShape.sortKey];
  if (indexName === undefined) return table;
  const index = tableShape.globalIndexes.find((candidate) => candidate.indexName === indexName);
  if (!index) throw new Error(`No index ${indexName} on the table.`);
  return [...table, index.partitionKey, index.sortKey];
}

type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit' | 'IndexName'> & { IndexName?: GlobalIndexName };

/**
 * One page of a Query: at most `page.limit` items read (a filter may keep fewer), starting where
 * `page.cursor` ended; a cursor that is not a key of this table or index is refused.
 */
export async function queryPage<T = Item>(input: QueryInput, page: PageRequest, decode?: (item: Item) => T): Promise<Page<T>> {
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      ...input,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, cursorKeysOf(input.IndexName)),
    }),
  );
  const nextCursor = encodeCursor(LastEvaluatedKey);
  const items = decode ? Items.map(decode) : (Items as T[]);
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

/** Every item a Query matches, page by page to the end: for lists that are small by design. */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Key[]> {
  const items: Key[] = [];
  for await (const page of paginateQuery({ client: documentClient }, { TableName: tableName, ...input })) items.push(...(page.Items ?? []));
  return items;
}
