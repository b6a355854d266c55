import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { sendRateKeys } from './keys';
import { tableShape } from './table';

/**
 * Window items are worthless after their second; the table's TTL removes them (tableShape names
 * the attribute, in epoch seconds; the hour is slack for clock skew).
 */
const WINDOW_TTL_SECONDS = 3600;

/**
 * Takes one of the `maxPerSecond` sending slots of the given second: one atomic, conditional ADD,
 * so any number of concurrent workers together never take more. False when the second is full.
 */
export async function takeSendSlot(epochSecond: number, maxPerSecond: number): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: sendRateKeys.window(epochSecond),
        UpdateExpression: 'ADD sent :one SET #type = :type, #ttl = :expiresAt',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :max',
        ExpressionAttributeNames: { '#type': 'type', '#ttl': tableShape.timeToLiveAttribute },
        ExpressionAttributeValues: {
          ':one': 1,
          ':max': maxPerSecond,
          ':type': entityTypes.sendRateWindow,
          ':expiresAt': epochSecond + WINDOW_TTL_SECONDS,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
