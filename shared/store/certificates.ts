import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../locale/language';
import type { CertificateRecordStatus } from '../domain/certificate';
import type { CertificateRevocation, CertificateVersion } from '../domain/certificate-lifecycle';
import { deliveryOrder, type DeliveryState } from '../domain/delivery';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { certificateKeys, sweepKeys } from './keys';
import { batchGetAll } from './batch-get';
import { itemDecoder } from './items';
import { queryPage, type Page } from './paging';
import { TransactionConditionFailed, transactWrite, type TransactionPart } from './transactions';

/** A certificate as stored: everything printed on it, frozen at issue. */
export interface Certificate {
  certificateId: string;
  trainingId: string;
  registrationId: string;
  /** `DESTT-{year}-{region code}-{6-digit sequence}`. */
  number: string;
  verificationCode: string;
  holderEmail: string;
  /** As registered. */
  holderName: string;
  language: Language;
  trainingTitle: { kk?: string; ru?: string; en?: string };
  hours: number;
  ects?: number;
  /** Session start instants. */
  sessionDates: string[];
  trainerName: string;
  trainerSub: string;
  region: string;
  issuer: { kk: string; ru: string; en: string };
  issuedAt: string;
  validUntil: string;
  level: 0 | 1 | 2;
  /** The trainer's own certificate, when the platform knows it; empty otherwise. */
  trainerCertificateId: string;
  /** The number of the trainer's certificate, printed in the lineage; empty at level 0. */
  trainerCertificateNumber?: string;
  /** The national training at the root of the cascade this certificate belongs to. */
  cascadeRootId?: string;
  /** Issued by a refresher: the holder's earlier certificate of the same level that this one renews. */
  renewsCertificateId?: string;
  renewsCertificateNumber?: string;
  status: CertificateRecordStatus;
  /** Set once the PDF is in the bucket. */
  pdfStoredAt?: string;
  /** Reissues count up from 1 (absent on records from before reissue: 1). */
  version?: number;
  /** Every version with its name and time; absent until the first reissue. */
  history?: CertificateVersion[];
  /** The version whose PDF is in the bucket (absent: 1, once pdfStoredAt is set). */
  pdfVersion?: number;
  revocation?: CertificateRevocation;
  /** The latest known state of the certificate email (the last send or resend). */
  delivery?: DeliveryState;
  /** When the email was last sent again on request (the resend cooldown counts from it). */
  lastResendAt?: string;
}

/** deliveryOrder only guards delivery updates against going back (domain/delivery). */
export const certificateFromItem = itemDecoder<Certificate>('deliveryOrder');

export async function findCertificate(certificateId: string): Promise<Certificate | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: certificateKeys.item(certificateId), ConsistentRead: true }),
  );
  return Item ? certificateFromItem(Item) : undefined;
}

export async function findCertificateByCode(code: string): Promise<Certificate | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: certificateKeys.byCode(code) }));
  if (!Item) return undefined;
  return findCertificate(Item.certificateId as string);
}

/**
 * The next sequence number of a region's certificates in a year: one atomic ADD. A number drawn
 * by a worker that then loses the claim (or crashes) is never used: gaps, never duplicates.
 */
export async function nextCertificateSequence(regionCode: string, year: number): Promise<number> {
  return drawCertificateSequences(regionCode, year, 1);
}

/**
 * `count` consecutive sequence numbers with one atomic ADD: the last one drawn is returned, and
 * the block ends there (`last - count + 1` … `last`), which no other worker can also draw.
 */
export async function drawCertificateSequences(regionCode: string, year: number, count: number): Promise<number> {
  const amount = count === 1 ? ':one' : ':count';
  const { Attributes } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: certificateKeys.counter(regionCode, year),
      UpdateExpression: `ADD seq ${amount} SET #type = :counter`,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { [amount]: count, ':counter': entityTypes.counter },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.seq);
}

export type ClaimOutcome = 'claimed' | 'exists' | 'code_taken';

/**
 * Writes the certificate, its verification-code lookup and (through gsi1) the holder's index in
 * one transaction. The certificate Put is conditional on its deterministic id being new, so of
 * any number of workers exactly one wins; the code Put is conditional too, so no two certificates
 * ever share a code.
 */
export async function claimCertificate(certificate: Certificate): Promise<ClaimOutcome> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...certificateKeys.item(certificate.certificateId),
              ...certificateKeys.byHolder(certificate.holderEmail, certificate.issuedAt, certificate.certificateId),
              ...certificateKeys.expiring(certificate.region, certificate.validUntil, certificate.certificateId),
              type: entityTypes.certificate,
              ...certificate,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...certificateKeys.byCode(certificate.verificationCode),
              type: entityTypes.certificateCode,
              certificateId: certificate.certificateId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
    return 'claimed';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    return error.failedItems.includes(0) ? 'exists' : 'code_taken';
  }
}

/**
 * Stamps that the certificate's PDF is in the bucket, as a transaction part (it goes with the
 * email's claim). With `version`, only while the record is still at that version: the PDF just
 * put shows it, so a reissue committed meanwhile refuses the stamp, and the caller puts the
 * current version before trying again (a reissue commits before it puts, so a stamp that lands
 * means the last object in the bucket is this version or a later one).
 */
export function pdfStoredPart(certificateId: string, at: string, version?: number): TransactionPart {
  const versionCondition = version === undefined ? '' : version === 1 ? ' AND (attribute_not_exists(#version) OR #version = :version)' : ' AND #version = :version';
  return {
    Update: {
      TableName: tableName,
      Key: certificateKeys.item(certificateId),
      UpdateExpression: 'SET pdfStoredAt = if_not_exists(pdfStoredAt, :at)',
      ConditionExpression: `attribute_exists(pk)${versionCondition}`,
      ...(version === undefined ? {} : { ExpressionAttributeNames: { '#version': 'version' } }),
      ExpressionAttributeValues: { ':at': at, ...(version === undefined ? {} : { ':version': version }) },
    },
  };
}

export async function listCertificatesOfHolder(email: string, page: { limit: number; cursor?: string }): Promise<Page<Certificate>> {
  return queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':partition': certificateKeys.holderPartition(email), ':prefix': certificateKeys.holderPrefix },
      ScanIndexForward: false,
    },
    page,
    certificateFromItem,
  );
}

const VERSION_METADATA = 'certificate-version';

/**
 * The S3 client (about 130 KB with its middleware) loads with the first PDF read or written: most
 * functions that import this store, and most of their invocations, touch only the table. The
 * certificates ZIP's store loads it the same way.
 */
export const objectStore = async () => {
  const [commands, { s3, certificatesBucket }] = await Promise.all([import('@aws-sdk/client-s3'), import('../files/client')]);
  return { ...commands, s3, certificatesBucket };
};

/**
 * S3 answers a read racing a put with the old object or the new one, whole; the local emulator
 * can answer with the file as far as it is written (even empty). A PDF ends with `%%EOF`, so a
 * partial one is treated as not there yet, and the caller renders its own.
 */
function isCompletePdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.subarray(-1024).includes('%%EOF');
}

/**
 * Overwriting with the same certificate's PDF is harmless (the bucket is versioned). The object
 * says which version of the record it shows, so a download can refuse a PDF a reissue outdated.
 */
export async function putCertificatePdf(certificateId: string, pdf: Buffer, version: number): Promise<void> {
  const { s3, certificatesBucket, PutObjectCommand } = await objectStore();
  await s3.send(
    new PutObjectCommand({
      Bucket: certificatesBucket,
      Key: certificateKeys.pdfObject(certificateId),
      Body: pdf,
      ContentType: 'application/pdf',
      Metadata: { [VERSION_METADATA]: String(version) },
    }),
  );
}

export async function readCertificatePdf(certificateId: string): Promise<Buffer | undefined> {
  return (await readCertificatePdfObject(certificateId))?.pdf;
}

/** The stored PDF and the record version it shows (objects from before versions were kept: 1). */
export async function readCertificatePdfObject(certificateId: string): Promise<{ pdf: Buffer; version: number } | undefined> {
  const { s3, certificatesBucket, GetObjectCommand, NoSuchKey } = await objectStore();
  try {
    const { Body, Metadata } = await s3.send(new GetObjectCommand({ Bucket: certificatesBucket, Key: certificateKeys.pdfObject(certificateId) }));
    const version = Number(Metadata?.[VERSION_METADATA] ?? 1);
    const pdf = Body ? Buffer.from(await Body.transformToByteArray()) : undefined;
    return pdf && isCompletePdf(pdf) ? { pdf, version: Number.isInteger(version) ? version : 1 } : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return undefined;
    throw error;
  }
}

/**
 * Records what happened to the certificate email, unless something newer is already recorded:
 * the condition compares deliveryOrder (instant, then stage), so a late or repeated SES event is
 * a no-op. False when the update was older (or the certificate does not exist).
 */
export async function recordDelivery(certificateId: string, state: DeliveryState): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: certificateKeys.item(certificateId),
        UpdateExpression: 'SET delivery = :delivery, deliveryOrder = :order',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(deliveryOrder) OR deliveryOrder < :order)',
        ExpressionAttributeValues: { ':delivery': state, ':order': deliveryOrder(state) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Reads many certificates by id (strongly consistent), in any order; missing ids are left out. */
export async function findCertificates(certificateIds: readonly string[]): Promise<Certificate[]> {
  const items = await batchGetAll(certificateIds.map((id) => certificateKeys.item(id)), { consistentRead: true });
  return items.map(certificateFromItem);
}

/** One requested resend of a certificate email; its INSERT on the stream sends it. */
export interface CertificateResend {
  certificateId: string;
  resendId: string;
  requestedAt: string;
  requestedBy: string;
  /** Absent on items from before resends were marked done. */
  status?: 'pending' | 'done';
  outcome?: 'sent' | 'cancelled';
}

export function certificateResendFromItem(item: Record<string, unknown>): CertificateResend {
  return {
    certificateId: String(item.certificateId),
    resendId: String(item.resendId),
    requestedAt: String(item.requestedAt),
    requestedBy: String(item.requestedBy),
    ...(item.status === 'pending' || item.status === 'done' ? { status: item.status } : {}),
    ...(item.outcome === 'sent' || item.outcome === 'cancelled' ? { outcome: item.outcome } : {}),
  };
}

export async function findResend(certificateId: string, resendId: string): Promise<CertificateResend | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: certificateKeys.resend(certificateId, resendId), ConsistentRead: true }),
  );
  return Item ? certificateResendFromItem(Item) : undefined;
}

/** A MODIFY (the consumer takes INSERTs only), which also takes the resend out of the sweep index. */
export async function markResendDone(certificateId: string, resendId: string, outcome: NonNullable<CertificateResend['outcome']>, at: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: certificateKeys.resend(certificateId, resendId),
      UpdateExpression: 'SET #status = :done, outcome = :outcome, doneAt = :at REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome, ':at': at },
    }),
  );
}

export type ResendOutcome = { kind: 'queued' } | { kind: 'too-soon'; lastResendAt: string } | { kind: 'missing' };

/**
 * Queues a resend in one transaction: the certificate's lastResendAt moves on only if the last
 * resend is older than `notAfter` (so of two requests in the cooldown exactly one wins), its
 * delivery becomes 'sending', and the work item is put.
 */
export async function queueResend(resend: CertificateResend, notAfter: string): Promise<ResendOutcome> {
  const sending: DeliveryState = { status: 'sending', at: resend.requestedAt };
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: certificateKeys.item(resend.certificateId),
            UpdateExpression: 'SET lastResendAt = :now, delivery = :delivery, deliveryOrder = :order',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastResendAt) OR lastResendAt <= :notAfter)',
            ExpressionAttributeValues: {
              ':now': resend.requestedAt,
              ':notAfter': notAfter,
              ':delivery': sending,
              ':order': deliveryOrder(sending),
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...certificateKeys.resend(resend.certificateId, resend.resendId),
              ...sweepKeys.resend(resend.requestedAt, resend.certificateId, resend.resendId),
              type: entityTypes.certificateResend,
              status: 'pending',
              ...resend,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
    return { kind: 'queued' };
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    const current = await findCertificate(resend.certificateId);
    if (!current) return { kind: 'missing' };
    return { kind: 'too-soon', lastResendAt: current.lastResendAt ?? resend.requestedAt };
  }
}

