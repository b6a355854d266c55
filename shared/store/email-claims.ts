import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock';
import { documentClient, tableName } from './client';
import { emailKeys, entityTypes } from './keys';

/** How long a worker may take to send a claimed email before another worker may take it over. */
const CLAIM_LEASE_MS = 2 * 60_000;

export type ClaimOutcome = 'claimed' | 'already-sent' | 'in-flight';

/**
 * Claims the right to send the email identified by `dedupeKey`. Exactly one worker wins; a claim
 * whose worker crashed before marking it sent can be taken over once its lease has run out.
 */
export async function claimEmail(dedupeKey: string): Promise<ClaimOutcome> {
  const now = clock.nowMs();
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...emailKeys.claim(dedupeKey),
          type: entityTypes.emailClaim,
          status: 'claimed',
          claimedAt: new Date(now).toISOString(),
          leaseExpiresAt: now + CLAIM_LEASE_MS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseExpiresAt < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'claimed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      return error.Item?.status?.S === 'sent' ? 'already-sent' : 'in-flight';
    }
    throw error;
  }
}

export async function markEmailSent(dedupeKey: string, messageId: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: emailKeys.claim(dedupeKey),
      UpdateExpression: 'SET #status = :sent, sentAt = :now, messageId = :messageId REMOVE leaseExpiresAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':now': clock.now().toISOString(), ':messageId': messageId },
    }),
  );
}

/** Gives a claim back after a failed send, so the retry does not wait for the lease. */
export async function releaseEmailClaim(dedupeKey: string): Promise<void> {
  await documentClient.send(
    new DeleteCommand({
      TableName: tableName,
      Key: emailKeys.claim(dedupeKey),
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':claimed': 'claimed' },
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
}
