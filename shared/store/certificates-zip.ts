/**
 * A training's certificates ZIP built into the bucket: the job item the route creates and reads,
 * the pieces a build has uploaded (so a retry goes on from the last one), and the multipart upload
 * that holds them. Every write is guarded, so a duplicate stream record, a sweep beside the stream
 * or a retry after a crash never makes a second ZIP: one object key per job, one upload id, and
 * pieces that are the same bytes whoever writes them.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ZipEntry } from '../exports/stored-zip';
import { objectStore } from './certificates';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { itemDecoder } from './items';
import { certificatesZipKeys, sweepKeys } from './keys';

export type ZipJobStatus = 'building' | 'ready' | 'failed';

export interface ZipJob {
  trainingId: string;
  digest: string;
  status: ZipJobStatus;
  /** Certificates in the manifest. */
  total: number;
  /** PDFs to put in the ZIP (the manifest's non-revoked, made ones) and how many are in. */
  files: number;
  done: number;
  fileName: string;
  createdAt: string;
  attempts: number;
  /** Made because the PDFs passed what one response carries (not only because a client asked). */
  tooLarge?: boolean;
  uploadId?: string;
  readyAt?: string;
  bytes?: number;
}

export interface ZipPart {
  /** The multipart upload it belongs to: a job asked for again starts a new one. */
  uploadId: string;
  partNumber: number;
  etag: string;
  entries: ZipEntry[];
  /** Certificate files in this piece and every earlier one. */
  filesThrough: number;
  /** Where the next piece starts in the archive. */
  end: number;
  /** The piece that carries the central directory: only completing the upload is left. */
  last: boolean;
}

const jobFromItem = itemDecoder<ZipJob>();
const partFromItem = itemDecoder<ZipPart & { trainingId: string; digest: string }>('trainingId', 'digest');

export async function findZipJob(trainingId: string, digest: string): Promise<ZipJob | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: certificatesZipKeys.job(trainingId, digest), ConsistentRead: true }));
  return Item ? jobFromItem(Item) : undefined;
}

/** Creates the job once; asked again (two trainers at once), it answers the one that exists. */
export async function createZipJob(job: ZipJob): Promise<ZipJob> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...certificatesZipKeys.job(job.trainingId, job.digest),
          ...sweepKeys.zip(job.createdAt, job.trainingId, job.digest),
          type: entityTypes.certificatesZip,
          ...job,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return job;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return (await findZipJob(job.trainingId, job.digest)) ?? job;
    throw error;
  }
}

function whileBuilding(trainingId: string, digest: string) {
  return {
    TableName: tableName,
    Key: certificatesZipKeys.job(trainingId, digest),
    ConditionExpression: '#status = :building',
  };
}

async function guarded(update: UpdateCommand): Promise<Record<string, unknown> | undefined> {
  try {
    return (await documentClient.send(update)).Attributes ?? {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Counts one more build attempt of a job still building; undefined when it is not building. */
export async function startZipAttempt(trainingId: string, digest: string): Promise<ZipJob | undefined> {
  const attributes = await guarded(
    new UpdateCommand({
      ...whileBuilding(trainingId, digest),
      UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':building': 'building', ':zero': 0, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return attributes ? jobFromItem(attributes) : undefined;
}

/** The job keeps the first upload id recorded; a builder that lost the race uses that one. */
export async function recordZipUpload(trainingId: string, digest: string, uploadId: string): Promise<string | undefined> {
  const attributes = await guarded(
    new UpdateCommand({
      ...whileBuilding(trainingId, digest),
      ConditionExpression: '#status = :building AND attribute_not_exists(uploadId)',
      UpdateExpression: 'SET uploadId = :uploadId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':building': 'building', ':uploadId': uploadId },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return attributes ? uploadId : (await findZipJob(trainingId, digest))?.uploadId;
}

/** Progress for the progress bar; it never goes back, whichever of two builders reports. */
export async function recordZipProgress(trainingId: string, digest: string, done: number): Promise<void> {
  await guarded(
    new UpdateCommand({
      ...whileBuilding(trainingId, digest),
      ConditionExpression: '#status = :building AND (attribute_not_exists(done) OR done < :done)',
      UpdateExpression: 'SET done = :done',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':building': 'building', ':done': done },
    }),
  );
}

/** A piece is the same bytes whoever uploaded it, so writing its record twice changes nothing. */
export async function recordZipPart(trainingId: string, digest: string, part: ZipPart): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...certificatesZipKeys.part(trainingId, digest, part.partNumber), type: entityTypes.certificatesZipPart, trainingId, digest, ...part },
    }),
  );
}

/** The pieces recorded for this upload, in order. */
export async function listZipParts(trainingId: string, digest: string, uploadId: string): Promise<ZipPart[]> {
  const parts: ZipPart[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': certificatesZipKeys.trainingPartition(trainingId), ':prefix': certificatesZipKeys.partPrefix(digest) },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    parts.push(...Items.map((item) => partFromItem(item)));
    start = LastEvaluatedKey;
  } while (start);
  return parts.filter((part) => part.uploadId === uploadId).sort((a, b) => a.partNumber - b.partNumber);
}

/** Ready: the download can be handed out, and the sweeper no longer looks at it. */
export async function markZipReady(trainingId: string, digest: string, readyAt: string, bytes: number): Promise<void> {
  await guarded(
    new UpdateCommand({
      ...whileBuilding(trainingId, digest),
      UpdateExpression: 'SET #status = :ready, readyAt = :readyAt, bytes = :bytes, done = files REMOVE gsi3pk, gsi3sk',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':building': 'building', ':ready': 'ready', ':readyAt': readyAt, ':bytes': bytes },
    }),
  );
}

/** Given up on (it failed every attempt, or its certificates changed under it): out of the sweep. */
export async function markZipFailed(trainingId: string, digest: string): Promise<void> {
  await guarded(
    new UpdateCommand({
      ...whileBuilding(trainingId, digest),
      UpdateExpression: 'SET #status = :failed REMOVE gsi3pk, gsi3sk',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':building': 'building', ':failed': 'failed' },
    }),
  );
}

/**
 * A request for another build of a failed job (the person asked again): back in the stream and the
 * sweep, with a fresh upload (the bucket aborts uploads left incomplete for a day).
 */
export async function rearmZipJob(trainingId: string, digest: string, now: string): Promise<void> {
  await guarded(
    new UpdateCommand({
      TableName: tableName,
      Key: certificatesZipKeys.job(trainingId, digest),
      ConditionExpression: '#status = :failed',
      UpdateExpression: 'SET #status = :building, attempts = :zero, rearmedAt = :now, gsi3pk = :gsi3pk, gsi3sk = :gsi3sk REMOVE uploadId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':building': 'building', ':zero': 0, ':now': now, ...sweepValues(now, trainingId, digest) },
    }),
  );
}

function sweepValues(due: string, trainingId: string, digest: string) {
  const { gsi3pk, gsi3sk } = sweepKeys.zip(due, trainingId, digest);
  return { ':gsi3pk': gsi3pk, ':gsi3sk': gsi3sk };
}

// ---------------------------------------------------------------------------------------------
// The object

/** Which job's object: the store alone turns a job into a bucket key. */
export interface ZipObject {
  trainingId: string;
  digest: string;
}

export function zipObjectKey({ trainingId, digest }: ZipObject): string {
  return certificatesZipKeys.object(trainingId, digest);
}

export async function startZipUpload(zip: ZipObject, fileName: string): Promise<string> {
  const { s3, certificatesBucket, CreateMultipartUploadCommand } = await objectStore();
  const objectKey = zipObjectKey(zip);
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: certificatesBucket,
      Key: objectKey,
      ContentType: 'application/zip',
      ContentDisposition: attachment(fileName),
    }),
  );
  if (!UploadId) throw new Error('S3 answered CreateMultipartUpload without an upload id');
  return UploadId;
}

export async function abortZipUpload(zip: ZipObject, uploadId: string): Promise<void> {
  const { s3, certificatesBucket, AbortMultipartUploadCommand } = await objectStore();
  await s3.send(new AbortMultipartUploadCommand({ Bucket: certificatesBucket, Key: zipObjectKey(zip), UploadId: uploadId }));
}

export async function uploadZipPart(zip: ZipObject, uploadId: string, partNumber: number, bytes: Buffer): Promise<string> {
  const { s3, certificatesBucket, UploadPartCommand } = await objectStore();
  const { ETag } = await s3.send(new UploadPartCommand({ Bucket: certificatesBucket, Key: zipObjectKey(zip), UploadId: uploadId, PartNumber: partNumber, Body: bytes }));
  if (!ETag) throw new Error('S3 answered UploadPart without an ETag');
  return ETag;
}

export async function completeZipUpload(zip: ZipObject, uploadId: string, parts: readonly ZipPart[]): Promise<void> {
  const { s3, certificatesBucket, CompleteMultipartUploadCommand } = await objectStore();
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: certificatesBucket,
      Key: zipObjectKey(zip),
      UploadId: uploadId,
      MultipartUpload: { Parts: parts.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })) },
    }),
  );
}

/** The completed object's size, or undefined while there is none (a crash before completing). */
export async function zipObjectSize(zip: ZipObject): Promise<number | undefined> {
  const { s3, certificatesBucket, HeadObjectCommand, NotFound } = await objectStore();
  try {
    const { ContentLength } = await s3.send(new HeadObjectCommand({ Bucket: certificatesBucket, Key: zipObjectKey(zip) }));
    return ContentLength ?? 0;
  } catch (error) {
    if (error instanceof NotFound || (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))) return undefined;
    throw error;
  }
}

/** How the browser saves the ZIP: as an attachment under its file name. */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}
