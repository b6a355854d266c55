/**
 * What `reconcile` reads and writes: whole-table Scans in parallel segments (an offline tool, never
 * a request path), and the repair Puts of aggregate items and applied markers.
 */
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { AggregateTarget, AggregateValues, AppliedMarker } from '../domain/aggregates';
import { batchGetAll } from './batch-get';
import { documentClient, dynamoDb, tableName } from './client';
import { entityTypes } from './entity-types';
import { aggregateKeys } from './keys';
import { keyOfTarget, type SourceKey } from './aggregates';

type Item = Record<string, unknown>;

const PAGE_BYTES = 2 ** 20;
const MAX_SEGMENTS = 1_000_000;

/**
 * About one Scan page (1 MB) per segment, at least `minimum`. DynamoDB refreshes the table's size
 * every few hours, which is close enough to size the segments of an offline tool.
 */
export async function segmentsForTableSize(minimum = 4): Promise<number> {
  const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  const pages = Math.ceil((Table?.TableSizeBytes ?? 0) / PAGE_BYTES);
  return Math.min(MAX_SEGMENTS, Math.max(minimum, pages));
}

/**
 * Every item of the given types, page by page: the table split into `segments` parallel Scan
 * segments, `concurrency` of them read at a time.
 *
 * Many small segments rather than a few long ones: DynamoDB Local answers each page of a segment in
 * time proportional to what is left of that segment, so a 4-segment Scan of a million items spends
 * most of an hour re-reading. Segments about one page long keep every page cheap, and on DynamoDB
 * they cost nothing extra: the number of requests stays about the number of pages.
 */
export async function scanTypes(
  types: readonly string[],
  onPage: (items: Item[]) => void | Promise<void>,
  { segments = 4, concurrency = segments, projection }: { segments?: number; concurrency?: number; projection?: string[] } = {},
): Promise<void> {
  const names: Record<string, string> = { '#type': 'type' };
  projection?.forEach((name, index) => (names[`#p${index}`] = name));
  let nextSegment = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, segments) }, async () => {
      while (nextSegment < segments) {
        const segment = nextSegment++;
        let startKey: Item | undefined;
        do {
          const { Items = [], LastEvaluatedKey } = await documentClient.send(
            new ScanCommand({
              TableName: tableName,
              Segment: segment,
              TotalSegments: segments,
              FilterExpression: `#type IN (${types.map((_, index) => `:t${index}`).join(', ')})`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: Object.fromEntries(types.map((type, index) => [`:t${index}`, type])),
              ...(projection ? { ProjectionExpression: ['#type', ...projection.map((_, index) => `#p${index}`)].join(', ') } : {}),
              ExclusiveStartKey: startKey,
            }),
          );
          await onPage(Items);
          startKey = LastEvaluatedKey;
        } while (startKey);
      }
    }),
  );
}

export function aggregateItem(target: AggregateTarget, values: AggregateValues): Item {
  return { ...keyOfTarget(target), type: entityTypes.aggregate, ...values.set, ...values.add };
}

/** Puts (or deletes) aggregate items, 25 per BatchWrite. */
export async function writeAggregateItems(puts: readonly Item[], deletes: readonly { pk: string; sk: string }[]): Promise<void> {
  await batchWrite([...puts.map((item) => ({ PutRequest: { Item: item } })), ...deletes.map((key) => ({ DeleteRequest: { Key: key } }))]);
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** BatchWrites of 25, `concurrency` in flight, retrying what DynamoDB leaves unprocessed. */
export async function batchWrite(requests: readonly WriteRequest[], concurrency = 1): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        let batch = requests.slice(next, next + 25);
        next += 25;
        for (let attempt = 0; batch.length > 0; attempt++) {
          const { UnprocessedItems } = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...batch] } }));
          batch = (UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
          if (batch.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        }
      }
    }),
  );
}

/**
 * Sets a source item's marker to the recomputed contribution, keeping its sequence number, unless
 * the consumer moved it meanwhile (then the consumer's is newer and right).
 */
export async function repairMarker(source: SourceKey, previous: AppliedMarker | undefined, contribution: AppliedMarker['contribution']): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...aggregateKeys.source(source.pk, source.sk),
          type: entityTypes.aggregateSource,
          sequence: previous?.sequence ?? '0'.padStart(40, '0'),
          contribution: JSON.stringify(contribution),
        },
        ConditionExpression: previous ? '#sequence = :previous' : 'attribute_not_exists(pk)',
        ...(previous ? { ExpressionAttributeNames: { '#sequence': 'sequence' }, ExpressionAttributeValues: { ':previous': previous.sequence } } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The "applied" marker of a once-only source (store/aggregates applyOnce), if it has none. */
export async function repairOnceMarker(source: SourceKey): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...aggregateKeys.source(source.pk, source.sk), type: entityTypes.aggregateSource, once: true },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Items by key (BatchGet, 100 keys a request, `concurrency` in flight), keyed `pk\nsk`. */
export async function getItems(keys: readonly { pk: string; sk: string }[], concurrency = 4): Promise<Map<string, Item>> {
  const items = await batchGetAll(keys, { consistentRead: true, concurrency });
  return new Map(items.map((item) => [`${item.pk as string}\n${item.sk as string}`, item]));
}
