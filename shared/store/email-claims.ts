import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { emailKeys, sweepKeys } from './keys';
import { TransactionConditionFailed, transactWrite, type TransactionPart } from './transactions';

/** How long a worker may take to send a claimed email before another worker may take it over. */
const CLAIM_LEASE_MS = 2 * 60_000;

export type ClaimOutcome = 'claimed' | 'already-sent' | 'in-flight';

/**
 * Where the sweeper finds what an email is about, when no work item of its own carries it: the
 * registration (training and person) or, without `email`, the training.
 */
export interface EmailRedrive {
  trainingId: string;
  email?: string;
}

/** A claim whose email has not been sent, as the sweeper finds it. */
export interface OpenEmailClaim {
  dedupeKey: string;
  redrive: EmailRedrive;
}

export function openEmailClaimFromItem(item: Record<string, unknown>): OpenEmailClaim {
  return { dedupeKey: String(item.dedupeKey), redrive: item.redrive as EmailRedrive };
}

/** A write sent with a claim or a sent mark (`alongside`) failed its own condition; nothing of that transaction was written. */
export class AlongsideConditionFailed extends Error {
  constructor(
    readonly step: 'claim' | 'sent',
    /** Positions in `alongside`. */
    readonly failedParts: readonly number[],
  ) {
    super(`A write alongside the email ${step} failed its condition (part ${failedParts.join(', ')})`);
    this.name = 'AlongsideConditionFailed';
  }
}

function claimOutcomeOf(status: unknown): ClaimOutcome {
  // An abandoned email (no longer true when the sweeper came to it) is as good as sent.
  return status === 'sent' || status === 'abandoned' ? 'already-sent' : 'in-flight';
}

/**
 * Claims the right to send the email identified by `dedupeKey`. Exactly one worker wins; a claim
 * whose worker crashed before marking it sent can be taken over once its lease has run out. A
 * claim with `redrive` stays in the sweep index until it is sent, so a send that never finished
 * (a crash, or every retry failing) is found and tried again. `alongside` writes go in the same
 * transaction, so they land exactly when the claim is won (AlongsideConditionFailed when one of
 * them is refused while the claim was free).
 */
export async function claimEmail(dedupeKey: string, redrive?: EmailRedrive, alongside: readonly TransactionPart[] = []): Promise<ClaimOutcome> {
  const now = clock.nowMs();
  const leaseExpiresAt = now + CLAIM_LEASE_MS;
  const claim = {
    TableName: tableName,
    Item: {
      ...emailKeys.claim(dedupeKey),
      ...(redrive ? { ...sweepKeys.email(new Date(leaseExpiresAt).toISOString(), dedupeKey), dedupeKey, redrive } : {}),
      type: entityTypes.emailClaim,
      status: 'claimed',
      claimedAt: new Date(now).toISOString(),
      leaseExpiresAt,
    },
    ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseExpiresAt < :now)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
  try {
    if (alongside.length === 0) await documentClient.send(new PutCommand(claim));
    else await transactWrite({ TransactItems: [{ Put: claim }, ...alongside] });
    return 'claimed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return claimOutcomeOf(error.Item?.status?.S);
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.failedItems.includes(0)) return claimOutcomeOf(error.oldItems[0]?.status?.S);
    throw new AlongsideConditionFailed('claim', error.failedItems.map((position) => position - 1));
  }
}

/**
 * Marks the claim sent; `alongside` writes go in the same transaction. If one of them is refused,
 * the claim is still marked (the email did leave) and AlongsideConditionFailed says what was not written.
 */
export async function markEmailSent(dedupeKey: string, messageId: string, alongside: readonly TransactionPart[] = []): Promise<void> {
  const sent = {
    TableName: tableName,
    Key: emailKeys.claim(dedupeKey),
    UpdateExpression: 'SET #status = :sent, sentAt = :now, messageId = :messageId REMOVE leaseExpiresAt, gsi3pk, gsi3sk',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':sent': 'sent', ':now': clock.now().toISOString(), ':messageId': messageId },
  };
  if (alongside.length === 0) {
    await documentClient.send(new UpdateCommand(sent));
    return;
  }
  try {
    await transactWrite({ TransactItems: [{ Update: sent }, ...alongside] });
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    await documentClient.send(new UpdateCommand(sent));
    throw new AlongsideConditionFailed('sent', error.failedItems.map((position) => position - 1));
  }
}

/**
 * Gives a claim back after a failed send, so the retry does not wait for the lease. A claim the
 * sweeper should find again is kept, its lease ended now (any worker may take it at once); the
 * others are deleted.
 */
export async function releaseEmailClaim(dedupeKey: string, redrive?: EmailRedrive): Promise<void> {
  const now = clock.nowMs();
  await documentClient.send(
    redrive
      ? new UpdateCommand({
          TableName: tableName,
          Key: emailKeys.claim(dedupeKey),
          UpdateExpression: 'SET leaseExpiresAt = :now, gsi3pk = :sweep, gsi3sk = :due',
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':now': now,
            ':sweep': sweepKeys.email(new Date(now).toISOString(), dedupeKey).gsi3pk,
            ':due': sweepKeys.email(new Date(now).toISOString(), dedupeKey).gsi3sk,
          },
        })
      : new DeleteCommand({
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

/**
 * Which of these emails were already sent: a cheap look (eventually consistent reads) so that a
 * job running every few minutes does not attempt a claim for each one again. It decides nothing —
 * an email it misses is still guarded by its claim.
 */
export async function alreadySentEmails(dedupeKeys: readonly string[]): Promise<Set<string>> {
  const sent = new Set<string>();
  const byPartition = new Map(dedupeKeys.map((key) => [emailKeys.claim(key).pk, key]));
  for (const item of await batchGetAll(dedupeKeys.map((key) => emailKeys.claim(key)), { attributes: ['pk', 'status'] })) {
    const key = byPartition.get(item.pk as string);
    if (key !== undefined && item.status === 'sent') sent.add(key);
  }
  return sent;
}

/**
 * Takes an open claim out of the sweep index when its email no longer applies (the registration
 * moved on): the claim stays, unsent, so nothing sends it later either.
 */
export async function abandonEmailClaim(dedupeKey: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: emailKeys.claim(dedupeKey),
      UpdateExpression: 'SET #status = :abandoned, abandonedAt = :now REMOVE gsi3pk, gsi3sk, leaseExpiresAt',
      ConditionExpression: '#status = :claimed AND leaseExpiresAt < :nowMs',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':claimed': 'claimed', ':abandoned': 'abandoned', ':now': clock.now().toISOString(), ':nowMs': clock.nowMs() },
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
}
