import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../config/regions';
import type { CertificateRecordStatus } from '../domain/certificate';
import type { CertificateRevocation, CertificateVersion } from '../domain/certificate-lifecycle';
import { certificatesBucket, s3 } from '../files/client';
import { documentClient, tableName } from './client';
import { certificateKeys, entityTypes } from './keys';
import { decodeCursor, encodeCursor } from './paging';
import type { Page } from './trainings';
import { TransactionConditionFailed, transactWrite } from './transactions';

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
}

const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type'];

function certificateFromItem(item: Record<string, unknown>): Certificate {
  const certificate: Record<string, unknown> = { ...item };
  for (const attribute of INTERNAL_ATTRIBUTES) delete certificate[attribute];
  return certificate as unknown as Certificate;
}

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
  const { Attributes } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: certificateKeys.counter(regionCode, year),
      UpdateExpression: 'ADD seq :one SET #type = :counter',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':counter': entityTypes.counter },
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

export async function markPdfStored(certificateId: string, at: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: certificateKeys.item(certificateId),
      UpdateExpression: 'SET pdfStoredAt = if_not_exists(pdfStoredAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

export async function listCertificatesOfHolder(email: string, page: { limit: number; cursor?: string }): Promise<Page<Certificate>> {
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':partition': certificateKeys.holderPartition(email), ':prefix': certificateKeys.holderPrefix },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk']),
    }),
  );
  const nextCursor = encodeCursor(LastEvaluatedKey);
  return { items: Items.map(certificateFromItem), ...(nextCursor ? { nextCursor } : {}) };
}

/** Overwriting with the same certificate's PDF is harmless (the bucket is versioned). */
export async function putCertificatePdf(certificateId: string, pdf: Buffer): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: certificatesBucket,
      Key: certificateKeys.pdfObject(certificateId),
      Body: pdf,
      ContentType: 'application/pdf',
    }),
  );
}

export async function readCertificatePdf(certificateId: string): Promise<Buffer | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: certificatesBucket, Key: certificateKeys.pdfObject(certificateId) }));
    return Body ? Buffer.from(await Body.transformToByteArray()) : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return undefined;
    throw error;
  }
}
