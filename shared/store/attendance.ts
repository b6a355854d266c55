import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttendanceRecord } from '../schemas/attendance';
import type { Training } from '../schemas/training';
import { batchGetAll } from './batch-get';
import { tableName } from './client';
import { itemDecoder } from './items';
import { queryAll } from './paging';
import { entityTypes } from './entity-types';
import { attendanceKeys, registrationKeys, trainingKeys } from './keys';
import { registrationFromItem, type StoredRegistration } from './registrations';
import { trainingFromItem, trainingIsPublishedCheck } from './trainings';
import { TransactionConditionFailed, transactWrite } from './transactions';

function toItem(record: AttendanceRecord): Record<string, unknown> {
  return {
    ...attendanceKeys.item(record.trainingId, record.sessionId, record.registrationId),
    type: entityTypes.attendance,
    ...record,
  };
}

export const attendanceFromItem = itemDecoder<AttendanceRecord>();

/** Every page of a Query on the training's partition under one sort-key prefix, strongly consistent. */
function queryPrefix(trainingId: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': attendanceKeys.trainingPartition(trainingId), ':prefix': prefix },
    // What is read here decides what is written and what a certificate rests on: never stale.
    ConsistentRead: true,
  });
}

export async function listAttendanceOfTraining(trainingId: string): Promise<AttendanceRecord[]> {
  return (await queryPrefix(trainingId, attendanceKeys.trainingPrefix)).map(attendanceFromItem);
}

export async function listAttendanceOfSession(trainingId: string, sessionId: string): Promise<AttendanceRecord[]> {
  return (await queryPrefix(trainingId, attendanceKeys.sessionPrefix(sessionId))).map(attendanceFromItem);
}

/**
 * The whole roster, every status, strongly consistent: attendance is validated against it (a
 * participant promoted a second ago is confirmed) and the report is built from it.
 */
export async function listAllRegistrations(trainingId: string): Promise<StoredRegistration[]> {
  return (await queryPrefix(trainingId, registrationKeys.rosterPrefix)).map(registrationFromItem);
}

/** A transaction holds 100 items; one of them is the check that the training is still open. */
const MARKS_PER_TRANSACTION = 99;

/**
 * Writes a trainer's marks. Each chunk is one transaction guarded by the training still being
 * published, so no mark lands after the training was closed (or cancelled). The caller has
 * validated every record first; a repeated request writes the same items again (idempotent).
 */
export async function writeAttendance(trainingId: string, records: readonly AttendanceRecord[]): Promise<'written' | 'training_not_open'> {
  for (let start = 0; start < records.length; start += MARKS_PER_TRANSACTION) {
    const chunk = records.slice(start, start + MARKS_PER_TRANSACTION);
    try {
      await transactWrite({
        TransactItems: [
          trainingIsPublishedCheck(trainingId),
          ...chunk.map((record) => ({ Put: { TableName: tableName, Item: toItem(record) } })),
        ],
      });
    } catch (error) {
      if (error instanceof TransactionConditionFailed) return 'training_not_open';
      throw error;
    }
  }
  return 'written';
}

export type CheckInOutcome =
  | { recorded: true }
  | { recorded: false; existing: AttendanceRecord }
  | { recorded: false; trainingNotOpen: true };

/**
 * A participant's own check-in: written only if the session has no mark for them yet, so a
 * repeated check-in changes nothing and a trainer's mark is never overwritten by a check-in; and
 * only while the training is published, in the same transaction, so none lands after the close.
 */
export async function recordCheckIn(record: AttendanceRecord): Promise<CheckInOutcome> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: toItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        trainingIsPublishedCheck(record.trainingId),
      ],
    });
    return { recorded: true };
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    const existing = error.failedItems.includes(0) ? error.oldItems[0] : undefined;
    if (existing) return { recorded: false, existing: attendanceFromItem(unmarshall(existing)) };
    return { recorded: false, trainingNotOpen: true };
  }
}

/**
 * Several trainings by id with BatchGetItem (strongly consistent), for check-in, which looks at
 * the trainings of the caller's registrations. Missing ids are simply absent from the map.
 */
export async function findTrainingsByIds(trainingIds: readonly string[]): Promise<Map<string, Training>> {
  const items = await batchGetAll([...new Set(trainingIds)].map((id) => trainingKeys.item(id)), { consistentRead: true });
  return new Map(items.map(trainingFromItem).map((training) => [training.id, training]));
}
