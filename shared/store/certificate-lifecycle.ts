import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createStatusList, decodeStatusList, encodeStatusList, setStatus } from '../certificates/status-list';
import {
  currentVersion,
  STATUS_LIST_BITS,
  type CertificateRevocation,
  type Reissue,
  type StatusListLocation,
} from '../domain/certificate-lifecycle';
import type { Certificate } from './certificates';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { certificateKeys, statusListKeys, sweepKeys } from './keys';
import { TransactionConditionFailed, transactWrite } from './transactions';

export interface StoredStatusList {
  listId: string;
  /** GZIP'd bitstring, base64url, Multibase `u`: the credential's `encodedList` as is. */
  encodedList: string;
  /** Bumped by every write: the optimistic lock of concurrent revocations. */
  version: number;
  updatedAt: string;
}

export async function findStatusList(listId: string): Promise<StoredStatusList | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: statusListKeys.item(listId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    listId,
    encodedList: Item.encodedList as string,
    version: Number(Item.version),
    updatedAt: Item.updatedAt as string,
  };
}

/** An empty list (nothing revoked yet) encoded, for lists nobody has written to. */
export function emptyStatusList(): string {
  return encodeStatusList(createStatusList(STATUS_LIST_BITS));
}

/**
 * Each attempt loses only to another revocation in the same list, and every round has a winner,
 * so n revocations at once need at most n rounds; full-jitter backoff spreads the losers out.
 */
const LIST_ATTEMPTS = 40;
const LIST_RETRY_BASE_MS = 10;
const LIST_RETRY_MAX_MS = 300;

export type RevokeOutcome = 'revoked' | 'already_revoked';

/**
 * Marks the certificate revoked and sets its bit in one transaction: both change or neither does,
 * so no crash can leave a revoked record with a clear bit (or the reverse). The list is rewritten
 * whole under a version check; a revocation that loses to another one in the same list reads the
 * list again and retries, so concurrent revocations all land. Setting a bit is idempotent, and the
 * certificate's condition (not yet revoked) makes the whole step happen at most once.
 */
export async function revokeWithStatusBit(
  certificateId: string,
  revocation: CertificateRevocation,
  location: StatusListLocation,
): Promise<RevokeOutcome> {
  for (let attempt = 1; ; attempt++) {
    const stored = await findStatusList(location.listId);
    const bits = stored ? decodeStatusList(stored.encodedList) : createStatusList(STATUS_LIST_BITS);
    setStatus(bits, location.index, true);
    try {
      await transactWrite({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: certificateKeys.item(certificateId),
              UpdateExpression: 'SET #status = :revoked, revocation = :revocation',
              ConditionExpression: 'attribute_exists(pk) AND #status <> :revoked',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':revoked': 'revoked', ':revocation': revocation },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...statusListKeys.item(location.listId),
                type: entityTypes.statusList,
                listId: location.listId,
                encodedList: encodeStatusList(bits),
                version: (stored?.version ?? 0) + 1,
                updatedAt: revocation.revokedAt,
              },
              ConditionExpression: stored ? 'version = :expected' : 'attribute_not_exists(pk)',
              ...(stored ? { ExpressionAttributeValues: { ':expected': stored.version } } : {}),
            },
          },
        ],
      });
      return 'revoked';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failedItems.includes(0)) return 'already_revoked';
      if (attempt >= LIST_ATTEMPTS) {
        throw new Error(`Status list ${location.listId} kept changing; revocation not saved.`, { cause: error });
      }
      const ceiling = Math.min(LIST_RETRY_MAX_MS, LIST_RETRY_BASE_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/** One reissue of a certificate, as queued for the workflow consumer. */
export interface ReissueTask {
  certificateId: string;
  version: number;
  status: 'pending' | 'done';
  createdAt: string;
  outcome?: 'sent' | 'superseded' | 'revoked';
  doneAt?: string;
}

export function reissueTaskFromItem(item: Record<string, unknown>): ReissueTask {
  return {
    certificateId: item.certificateId as string,
    version: Number(item.version),
    status: item.status as ReissueTask['status'],
    createdAt: item.createdAt as string,
    ...(item.outcome === undefined ? {} : { outcome: item.outcome as NonNullable<ReissueTask['outcome']> }),
    ...(item.doneAt === undefined ? {} : { doneAt: item.doneAt as string }),
  };
}

/**
 * The new version and its work item in one transaction. The certificate's condition is the
 * version the caller read (absent on records from before reissue) and not revoked, so of two
 * concurrent reissues one commits and a reissue never lands on a revoked certificate.
 */
export async function commitReissue(certificate: Certificate, next: Reissue, at: string): Promise<'committed' | 'conflict'> {
  const expected = currentVersion(certificate);
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: certificateKeys.item(certificate.certificateId),
            UpdateExpression: 'SET holderName = :name, #version = :next, history = :history',
            ConditionExpression:
              expected === 1
                ? 'attribute_exists(pk) AND #status = :valid AND (attribute_not_exists(#version) OR #version = :expected)'
                : 'attribute_exists(pk) AND #status = :valid AND #version = :expected',
            ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
            ExpressionAttributeValues: {
              ':name': next.holderName,
              ':next': next.version,
              ':history': next.history,
              ':valid': 'valid',
              ':expected': expected,
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...certificateKeys.reissue(certificate.certificateId, next.version),
              ...sweepKeys.reissue(at, certificate.certificateId, next.version),
              type: entityTypes.certificateReissue,
              certificateId: certificate.certificateId,
              version: next.version,
              status: 'pending',
              createdAt: at,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
    return 'committed';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    return 'conflict';
  }
}

export async function findReissueTask(certificateId: string, version: number): Promise<ReissueTask | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: certificateKeys.reissue(certificateId, version), ConsistentRead: true }),
  );
  return Item ? reissueTaskFromItem(Item) : undefined;
}

/** A MODIFY, which the workflow consumer's filter (INSERT only) never delivers again. */
export async function markReissueDone(
  certificateId: string,
  version: number,
  outcome: NonNullable<ReissueTask['outcome']>,
  doneAt: string,
): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: certificateKeys.reissue(certificateId, version),
      UpdateExpression: 'SET #status = :done, outcome = :outcome, doneAt = :at REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome, ':at': doneAt },
    }),
  );
}

/**
 * Records that the bucket holds this version's PDF. Conditional on the record still being that
 * version: a newer reissue's PDF must not be reported as this one's.
 */
export async function markPdfVersionStored(certificateId: string, version: number, at: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: certificateKeys.item(certificateId),
        UpdateExpression: 'SET pdfVersion = :version, pdfStoredAt = if_not_exists(pdfStoredAt, :at)',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version, ':at': at },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
