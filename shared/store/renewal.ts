/**
 * What renewal before expiry reads: a region's certificates by expiry, through the month
 * partitions of gsi2 (keys.ts, certificateKeys.expiring); and the backfill of those keys.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Certificate } from './certificates';
import { documentClient, tableName } from './client';
import { certificateKeys } from './keys';
import { queryAll } from './paging';
import { monthsCovering } from '../domain/renewal';

/** What the renewal job and the coordinator's list need of a certificate, and no more. */
export type ExpiringCertificate = Pick<
  Certificate,
  | 'certificateId'
  | 'trainingId'
  | 'number'
  | 'holderEmail'
  | 'holderName'
  | 'language'
  | 'trainingTitle'
  | 'region'
  | 'level'
  | 'status'
  | 'issuedAt'
  | 'validUntil'
>;

const PROJECTED = [
  'certificateId',
  'trainingId',
  'number',
  'holderEmail',
  'holderName',
  'language',
  'trainingTitle',
  'region',
  'level',
  'status',
  'issuedAt',
  'validUntil',
] as const;

/**
 * A region's certificates whose validUntil is in [from, to], in expiry order. One Query per
 * month partition (the range is at most a few months), revoked ones included: callers decide.
 */
export async function certificatesExpiringBetween(region: string, from: string, to: string): Promise<ExpiringCertificate[]> {
  const names = Object.fromEntries(PROJECTED.map((name, index) => [`#p${index}`, name]));
  const pages = await Promise.all(
    monthsCovering(from, to).map((month) =>
      queryAll({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :partition AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':partition': certificateKeys.expiringPartition(region, month),
          ':from': from,
          // '~' sorts after every certificate id, so a certificate expiring exactly at `to` is in.
          ':to': `${to}#~`,
        },
        ExpressionAttributeNames: names,
        ProjectionExpression: Object.keys(names).join(', '),
      }),
    ),
  );
  return pages.flat().map((item) => ({
    certificateId: String(item.certificateId),
    trainingId: String(item.trainingId),
    number: String(item.number),
    holderEmail: String(item.holderEmail),
    holderName: String(item.holderName),
    language: item.language as ExpiringCertificate['language'],
    trainingTitle: item.trainingTitle as ExpiringCertificate['trainingTitle'],
    region: String(item.region),
    level: Number(item.level) as ExpiringCertificate['level'],
    status: item.status as ExpiringCertificate['status'],
    issuedAt: String(item.issuedAt),
    validUntil: String(item.validUntil),
  }));
}

/**
 * Gives a certificate written before the expiry index its keys. Conditional on the record
 * existing and having none yet, so a second run writes nothing. True when it wrote them.
 */
export async function indexCertificateExpiry(certificate: Pick<Certificate, 'certificateId' | 'region' | 'validUntil'>): Promise<boolean> {
  const keys = certificateKeys.expiring(certificate.region, certificate.validUntil, certificate.certificateId);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: certificateKeys.item(certificate.certificateId),
        UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi2pk)',
        ExpressionAttributeValues: { ':pk': keys.gsi2pk, ':sk': keys.gsi2sk },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
