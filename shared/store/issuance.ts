import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttendanceRecord } from '../schemas/attendance';
import type { Training } from '../schemas/training';
import { attendanceFromItem } from './attendance';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { itemDecoder } from './items';
import { queryAll } from './paging';
import { entityTypes } from './entity-types';
import { attendanceKeys, certificateKeys, issuanceKeys, registrationKeys, sweepKeys, trainingKeys } from './keys';
import { TransactionConditionFailed, transactWrite, type TransactionPart } from './transactions';
import { certificateFromItem, type Certificate } from './certificates';
import { registrationFromItem, type StoredRegistration } from './registrations';

/** One participant's issuance work item: written when the training is closed. */
export interface IssuanceTask {
  trainingId: string;
  registrationId: string;
  /** The registration's key (registrations are keyed by the person's email). */
  email: string;
  status: 'pending' | 'done';
  createdAt: string;
  outcome?: 'certificate' | 'not-completed' | 'skipped';
  certificateId?: string;
  doneAt?: string;
}

export const issuanceTaskFromItem = itemDecoder<IssuanceTask>();

/** A transaction holds 100 items. */
const TASKS_PER_TRANSACTION = 100;

/**
 * Writes work items that do not exist yet: each chunk is one transaction of conditional Puts
 * (attribute_not_exists), so an existing item — already written by an earlier, interrupted close,
 * perhaps already done — is never overwritten; the chunk is retried without it. Returns how many
 * were written by this call.
 */
export async function writeIssuanceTasks(tasks: readonly IssuanceTask[]): Promise<number> {
  let written = 0;
  for (let index = 0; index < tasks.length; index += TASKS_PER_TRANSACTION) {
    let chunk = tasks.slice(index, index + TASKS_PER_TRANSACTION);
    while (chunk.length > 0) {
      try {
        await transactWrite({
          TransactItems: chunk.map((task) => ({
            Put: {
              TableName: tableName,
              Item: {
                ...issuanceKeys.task(task.trainingId, task.registrationId),
                // Pending work stays findable by the sweeper until it is marked done.
                ...(task.status === 'pending' ? sweepKeys.issuance(task.createdAt, task.trainingId, task.registrationId) : {}),
                type: entityTypes.issuanceTask,
                ...task,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        });
        written += chunk.length;
        break;
      } catch (error) {
        if (!(error instanceof TransactionConditionFailed)) throw error;
        const exists = new Set(error.failedItems);
        chunk = chunk.filter((_, position) => !exists.has(position));
      }
    }
  }
  return written;
}

export async function findIssuanceTask(trainingId: string, registrationId: string): Promise<IssuanceTask | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: issuanceKeys.task(trainingId, registrationId), ConsistentRead: true }),
  );
  return Item ? issuanceTaskFromItem(Item) : undefined;
}

/** Marks a work item done (a MODIFY, which the workflow consumer's filter does not deliver). */
export async function markIssuanceTaskDone(
  trainingId: string,
  registrationId: string,
  outcome: NonNullable<IssuanceTask['outcome']>,
  doneAt: string,
  certificateId?: string,
): Promise<void> {
  await documentClient.send(new UpdateCommand(issuanceTaskDonePart(trainingId, registrationId, outcome, doneAt, certificateId).Update));
}

/** markIssuanceTaskDone as a transaction part, to go with the email's sent mark. */
export function issuanceTaskDonePart(
  trainingId: string,
  registrationId: string,
  outcome: NonNullable<IssuanceTask['outcome']>,
  doneAt: string,
  certificateId?: string,
): TransactionPart & { Update: NonNullable<TransactionPart['Update']> } {
  return {
    Update: {
      TableName: tableName,
      Key: issuanceKeys.task(trainingId, registrationId),
      UpdateExpression: `SET #status = :done, outcome = :outcome, doneAt = :at${certificateId ? ', certificateId = :certificateId' : ''} REMOVE gsi3pk, gsi3sk`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':outcome': outcome,
        ':at': doneAt,
        ...(certificateId ? { ':certificateId': certificateId } : {}),
      },
    },
  };
}

/** What an issuance decides on, as stored now. */
export interface IssuanceInputs {
  task: IssuanceTask | undefined;
  registration: StoredRegistration | undefined;
  /** The participant's marks, every session. */
  attendance: AttendanceRecord[];
  certificate: Certificate | undefined;
}

/**
 * Everything one work item needs besides its training, in one strongly consistent BatchGet: the
 * work item, the registration, the marks of every session and the certificate if one was already
 * claimed (a retry, or another worker).
 */
export async function readIssuanceInputs(
  training: Pick<Training, 'id' | 'sessions'>,
  task: Pick<IssuanceTask, 'registrationId' | 'email'>,
  certificateId: string,
): Promise<IssuanceInputs> {
  const taskKey = issuanceKeys.task(training.id, task.registrationId);
  const registrationKey = registrationKeys.item(training.id, task.email);
  const certificateKey = certificateKeys.item(certificateId);
  const attendanceKeyList = training.sessions.map((session) => attendanceKeys.item(training.id, session.id, task.registrationId));
  const items = await batchGetAll([taskKey, registrationKey, certificateKey, ...attendanceKeyList], { consistentRead: true });
  const find = (key: { pk: string; sk: string }) => items.find((item) => item.pk === key.pk && item.sk === key.sk);
  const attendanceSortKeys = new Set(attendanceKeyList.map((key) => key.sk));
  const taskItem = find(taskKey);
  const registrationItem = find(registrationKey);
  const certificateItem = find(certificateKey);
  return {
    task: taskItem ? issuanceTaskFromItem(taskItem) : undefined,
    registration: registrationItem ? registrationFromItem(registrationItem) : undefined,
    attendance: items.filter((item) => item.pk === taskKey.pk && attendanceSortKeys.has(item.sk as string)).map(attendanceFromItem),
    certificate: certificateItem ? certificateFromItem(certificateItem) : undefined,
  };
}

/**
 * Records that every work item of a closed training is written: the version moves on, so a save
 * based on an older read fails. False when another close got there first.
 */
export async function markIssuanceQueued(trainingId: string, at: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: trainingKeys.item(trainingId),
        UpdateExpression: 'SET issuanceQueuedAt = :at, updatedAt = :at, version = version + :one',
        ConditionExpression: '#status = :closed AND attribute_not_exists(issuanceQueuedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': at, ':one': 1, ':closed': 'closed' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * One participant's marks, every session: the same attendance items the report reads, fetched by
 * key (one per session) with strongly consistent reads.
 */
export async function attendanceOfRegistration(training: Pick<Training, 'id' | 'sessions'>, registrationId: string): Promise<AttendanceRecord[]> {
  const keys = training.sessions.map((session) => attendanceKeys.item(training.id, session.id, registrationId));
  return (await batchGetAll(keys, { consistentRead: true })).map(attendanceFromItem);
}

/** Every work item of a training (its issuance progress), page by page to the end. */
export async function listIssuanceTasks(trainingId: string): Promise<IssuanceTask[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': issuanceKeys.trainingPartition(trainingId), ':prefix': issuanceKeys.taskPrefix },
  });
  return items.map(issuanceTaskFromItem);
}
