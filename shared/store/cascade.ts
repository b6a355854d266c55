/**
 * What the cascade rules read and write: national-trainer designations and a trainer's
 * certificates, found through the holder index (gsi1 PERSON#{email}).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldCertificate } from '../domain/cascade';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { queryAll } from './paging';
import { entityTypes } from './entity-types';
import { certificateKeys, nationalTrainerKeys } from './keys';

export interface NationalTrainerDesignation {
  email: string;
  designatedBy: string;
  designatedAt: string;
}

export async function isNationalTrainer(email: string): Promise<boolean> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: nationalTrainerKeys.item(email), ConsistentRead: true }),
  );
  return Item !== undefined;
}

/** Designating twice keeps the first designation: the PUT is idempotent. */
export async function designateNationalTrainer(designation: NationalTrainerDesignation): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...nationalTrainerKeys.item(designation.email), type: entityTypes.nationalTrainer, ...designation },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function undesignateNationalTrainer(email: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName, Key: nationalTrainerKeys.item(email) }));
}

/** Every certificate a person holds (a handful), newest first, with what eligibility needs. */
export async function certificatesHeldBy(email: string): Promise<HeldCertificate[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
    ExpressionAttributeValues: { ':partition': certificateKeys.holderPartition(email), ':prefix': certificateKeys.holderPrefix },
    ScanIndexForward: false,
  });
  return items.map((item) => ({
    certificateId: item.certificateId as string,
    trainingId: item.trainingId as string,
    number: item.number as string,
    level: Number(item.level),
    status: item.status as HeldCertificate['status'],
    issuedAt: item.issuedAt as string,
    validUntil: item.validUntil as string,
    ...(typeof item.trainerSub === 'string' ? { trainerSub: item.trainerSub } : {}),
    ...(typeof item.cascadeRootId === 'string' && item.cascadeRootId ? { cascadeRootId: item.cascadeRootId } : {}),
  }));
}

/** The certificates with these ids that exist (BatchGet, 100 keys a request), by id. */
export async function certificatesByIds(ids: readonly string[]): Promise<Map<string, { status: HeldCertificate['status']; validUntil: string }>> {
  const items = await batchGetAll([...new Set(ids)].map((id) => certificateKeys.item(id)), { attributes: ['certificateId', 'status', 'validUntil'] });
  return new Map(items.map((item) => [item.certificateId as string, { status: item.status as HeldCertificate['status'], validUntil: item.validUntil as string }]));
}
