import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttendanceRecord } from '../../shared/schemas/attendance';
import type * as AttendanceStore from '../../shared/store/attendance';
import { checkInKey, forgetCheckInKey } from '../../shared/secrets/check-in-key';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);
const secretsMock = mockClient(SecretsManagerClient);

// The store reads TABLE_NAME when it loads, so it is imported after the variable is set.
let store: typeof AttendanceStore;

beforeAll(async () => {
  store = await import('../../shared/store/attendance');
});

beforeEach(() => {
  documentMock.reset();
  secretsMock.reset();
});

const mark = (registrationId: string): AttendanceRecord => ({
  trainingId: 't1',
  sessionId: 's1',
  registrationId,
  status: 'present',
  source: 'trainer',
  recordedAt: '2026-12-01T05:30:00.000Z',
  recordedBy: 'trainer-sub',
});

describe('writing a trainer\'s sheet', () => {
  it('writes marks in transactions guarded by the training still being published', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    const records = Array.from({ length: 150 }, (_, index) => mark(`r${index}`));
    expect(await store.writeAttendance('t1', records)).toBe('written');
    const calls = documentMock.commandCalls(TransactWriteCommand);
    expect(calls.map((call) => call.args[0].input.TransactItems!.length)).toEqual([100, 52]);
    const [guard, put] = calls[0]!.args[0].input.TransactItems!;
    expect(guard!.ConditionCheck).toMatchObject({
      Key: { pk: 'TRAINING#t1', sk: 'TRAINING' },
      ConditionExpression: '#status = :published',
      ExpressionAttributeValues: { ':published': 'published' },
    });
    expect(put!.Put!.Item).toMatchObject({ pk: 'TRAINING#t1', sk: 'ATTENDANCE#s1#r0', type: 'Attendance', status: 'present' });
  });

  it('reports a training closed in the meantime instead of writing', async () => {
    documentMock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    expect(await store.writeAttendance('t1', [mark('r1')])).toBe('training_not_open');
  });
});

describe('recording a check-in', () => {
  it('writes only where the session has no mark yet, and hands back the mark that is there', async () => {
    const existing = { ...mark('r1'), status: 'absent', pk: 'TRAINING#t1', sk: 'ATTENDANCE#s1#r1', type: 'Attendance' };
    // The put travels in a transaction with the check that the training is still published.
    documentMock
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'exists',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: marshall(existing) }, { Code: 'None' }],
        }),
      );
    const checkIn: AttendanceRecord = { ...mark('r1'), source: 'check-in', checkedInAt: '2026-12-01T05:30:00.000Z' };
    expect(await store.recordCheckIn(checkIn)).toEqual({ recorded: true });
    expect(await store.recordCheckIn(checkIn)).toEqual({ recorded: false, existing: { ...mark('r1'), status: 'absent' } });
    const [put] = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });
});

describe('the check-in key', () => {
  const saved = { secret: process.env.CHECK_IN_SECRET, arn: process.env.CHECK_IN_SECRET_ARN };

  beforeEach(() => {
    forgetCheckInKey();
    delete process.env.CHECK_IN_SECRET;
    delete process.env.CHECK_IN_SECRET_ARN;
  });

  afterEach(() => {
    forgetCheckInKey();
    for (const [name, value] of [['CHECK_IN_SECRET', saved.secret], ['CHECK_IN_SECRET_ARN', saved.arn]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('comes from Secrets Manager on AWS, read once per container', async () => {
    process.env.CHECK_IN_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:check-in';
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(48) });
    const [first, second] = await Promise.all([checkInKey(), checkInKey()]);
    expect(Buffer.from(first).toString()).toBe('x'.repeat(48));
    expect(second).toBe(first);
    expect(await checkInKey()).toBe(first);
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: process.env.CHECK_IN_SECRET_ARN });
  });

  it('does not cache a failed read', async () => {
    process.env.CHECK_IN_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:check-in';
    secretsMock.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'y'.repeat(40) });
    await expect(checkInKey()).rejects.toThrow('throttled');
    expect(Buffer.from(await checkInKey()).toString()).toBe('y'.repeat(40));
  });

  it('refuses a missing or short key', async () => {
    await expect(checkInKey()).rejects.toThrow(/CHECK_IN_SECRET_ARN/);
    forgetCheckInKey();
    process.env.CHECK_IN_SECRET = 'short';
    await expect(checkInKey()).rejects.toThrow(/shorter than 32/);
  });
});
