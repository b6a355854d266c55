import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client';
import { sweepKeys, type SweepKind } from './keys';

export interface DueWork {
  items: Record<string, unknown>[];
  /** Items DynamoDB read to answer (what the run costs). */
  itemsRead: number;
  /** More was due than `limit`: the next run goes on with it. */
  more: boolean;
}

/**
 * Open work of one kind that was due before `cutoff`, oldest first: one Query of the sparse sweep
 * index (keys.ts), which holds only what is not done yet, so a run reads what is stuck and never
 * the history. Eventually consistent, like every index read: what it finds is re-read by the
 * idempotent step it is handed to.
 */
export async function findDueWork(kind: SweepKind, cutoff: string, limit: number): Promise<DueWork> {
  const { Items = [], ScannedCount = 0, LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :partition AND gsi3sk < :cutoff',
      ExpressionAttributeValues: { ':partition': sweepKeys.partition(kind), ':cutoff': cutoff },
      Limit: limit,
    }),
  );
  return { items: Items, itemsRead: ScannedCount, more: LastEvaluatedKey !== undefined };
}
