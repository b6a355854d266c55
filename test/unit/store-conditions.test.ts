import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Attendance from '../../shared/store/attendance';
import type * as EmailClaims from '../../shared/store/email-claims';
import type * as Registrations from '../../shared/store/registrations';
import type { StoredRegistration } from '../../shared/store/registrations';
import type { Training } from '../../shared/schemas/training';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

// The store reads TABLE_NAME when it loads, so it is imported after the variable is set.
let registerWithSeat: typeof Registrations.registerWithSeat;
let registerWithSeats: typeof Registrations.registerWithSeats;
let registerManyOnWaitlist: typeof Registrations.registerManyOnWaitlist;
let claimEmail: typeof EmailClaims.claimEmail;
let releaseEmailClaim: typeof EmailClaims.releaseEmailClaim;
let withdrawRegistration: typeof Registrations.withdrawRegistration;
let promoteHeadOfWaitlist: typeof Registrations.promoteHeadOfWaitlist;
let recordCheckIn: typeof Attendance.recordCheckIn;

beforeAll(async () => {
  ({ registerWithSeat, registerWithSeats, registerManyOnWaitlist, withdrawRegistration, promoteHeadOfWaitlist } = await import('../../shared/store/registrations'));
  ({ recordCheckIn } = await import('../../shared/store/attendance'));
  ({ releaseEmailClaim } = await import('../../shared/store/email-claims'));
  ({ claimEmail } = await import('../../shared/store/email-claims'));
});

beforeEach(() => documentMock.reset());

const training = { id: 't1', capacity: 20, status: 'published' } as Training;
const registration: StoredRegistration = {
  registrationId: 'r1',
  trainingId: 't1',
  email: 'a@school.kz',
  fullName: 'Әлия',
  preferredLanguage: 'kk',
  status: 'confirmed',
  registeredAt: '2026-11-23T00:00:00.000Z',
  confirmedAt: '2026-11-23T00:00:00.000Z',
  source: 'self',
};

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('seat transaction', () => {
  it('takes a seat only under capacity, only while nobody waits, and only for a new registration', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await registerWithSeat(training, registration)).toBe('confirmed');
    const [seat, put, open] = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(seat!.Update).toMatchObject({
      Key: { pk: 'TRAINING#t1', sk: 'SEATS' },
      ConditionExpression:
        '(attribute_not_exists(confirmed) OR confirmed < :capacity) AND (attribute_not_exists(waitlisted) OR waitlisted = :zero)',
      ExpressionAttributeValues: expect.objectContaining({ ':capacity': 20, ':zero': 0 }) as unknown,
    });
    expect(put!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled' });
    expect(open!.ConditionCheck).toMatchObject({ Key: { pk: 'TRAINING#t1', sk: 'TRAINING' }, ConditionExpression: '#status = :published' });
  });

  it('tells a full training, a duplicate and a closed training apart', async () => {
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None']))
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None']))
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed']));
    expect(await registerWithSeat(training, registration)).toBe('full');
    expect(await registerWithSeat(training, registration)).toBe('duplicate');
    expect(await registerWithSeat(training, registration)).toBe('training_closed');
  });

  it('retries a conflict with a concurrent transaction', async () => {
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['TransactionConflict', 'None', 'None']))
      .rejectsOnce(cancelled(['TransactionConflict', 'None', 'None']))
      .resolves({});
    expect(await registerWithSeat(training, registration)).toBe('confirmed');
    expect(documentMock).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });
});

describe('seat and queue transactions of an import', () => {
  const people = ['a', 'b', 'c'].map((name, index) => ({ ...registration, registrationId: `r${index}`, email: `${name}@school.kz` }));

  it('takes n seats only while the counter is at most capacity - n, with every registration in the same transaction', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await registerWithSeats(training, people)).toEqual({ outcome: 'confirmed' });
    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(5);
    // confirmed < 18 is confirmed + 3 <= 20.
    expect(items[0]!.Update?.ExpressionAttributeValues).toMatchObject({ ':capacity': 18, ':one': 3, ':zero': 0 });
    expect(items.slice(1, 4).map((item) => String(item.Put?.Item?.sk))).toEqual(['REG#a@school.kz', 'REG#b@school.kz', 'REG#c@school.kz']);
    expect(items[4]!.ConditionCheck).toBeDefined();
  });

  it('names the people already registered, and tells a full or closed training apart', async () => {
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None', 'None']))
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None', 'None', 'None']))
      .rejectsOnce(cancelled(['None', 'None', 'None', 'None', 'ConditionalCheckFailed']))
      .rejectsOnce(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None']));
    expect(await registerWithSeats(training, people)).toEqual({ outcome: 'duplicate', duplicates: ['b@school.kz'] });
    expect(await registerWithSeats(training, people)).toEqual({ outcome: 'full' });
    expect(await registerWithSeats(training, people)).toEqual({ outcome: 'training_closed' });
    // Queue items: counter, then (registration, place) per person, then the training check.
    const queued = people.map((person, index) => ({ ...person, status: 'waitlisted' as const, waitlistTicket: index + 1 }));
    expect(await registerManyOnWaitlist(training, queued)).toEqual({ outcome: 'duplicate', duplicates: ['b@school.kz'] });
  });
});

describe('email claim', () => {
  it('claims only a new email, or one whose worker let its lease run out', async () => {
    documentMock.on(PutCommand).resolves({});
    expect(await claimEmail('k1')).toBe('claimed');
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND leaseExpiresAt < :now)',
    });
  });

  it('reports an email already sent, and one another worker is sending', async () => {
    documentMock
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {}, Item: { status: { S: 'sent' } } }))
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {}, Item: { status: { S: 'claimed' } } }));
    expect(await claimEmail('k1')).toBe('already-sent');
    expect(await claimEmail('k1')).toBe('in-flight');
  });
});

const trainingOpen = { Key: { pk: 'TRAINING#t1', sk: 'TRAINING' }, ConditionExpression: '#status = :published' };

describe('closed means closed', () => {
  it('checks in only while the training is published, in the same transaction as the mark', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    const mark = { trainingId: 't1', sessionId: 's1', registrationId: 'r1', status: 'present', source: 'check-in', recordedAt: 'x', recordedBy: 'u' } as const;
    expect(await recordCheckIn(mark)).toEqual({ recorded: true });
    const [put, open] = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)' });
    expect(open!.ConditionCheck).toMatchObject(trainingOpen);

    documentMock.reset();
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']))
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { status: { S: 'absent' }, registrationId: { S: 'r1' } } }, { Code: 'None' }],
        }),
      );
    expect(await recordCheckIn(mark)).toEqual({ recorded: false, trainingNotOpen: true });
    expect(await recordCheckIn(mark)).toMatchObject({ recorded: false, existing: { status: 'absent' } });
  });

  it('withdraws only from a training that is not closed, and marks a freed seat for the sweeper', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await withdrawRegistration(registration, '2026-11-24T00:00:00.000Z')).toBe('withdrawn');
    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.at(-1)!.ConditionCheck).toMatchObject({ Key: { pk: 'TRAINING#t1', sk: 'TRAINING' }, ConditionExpression: 'attribute_exists(pk) AND #status <> :closed' });
    expect(items[1]!.Update).toMatchObject({
      Key: { pk: 'TRAINING#t1', sk: 'SEATS' },
      ExpressionAttributeValues: expect.objectContaining({ ':sweep': 'SWEEP#seats', ':due': '2026-11-24T00:00:00.000Z#t1', ':trainingId': 't1' }) as unknown,
    });
    documentMock.reset();
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed']))
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None']));
    expect(await withdrawRegistration(registration, 'now')).toBe('training_closed');
    expect(await withdrawRegistration(registration, 'now')).toBe('changed');
  });

  it('promotes only into a training that is still published', async () => {
    documentMock.on(GetCommand).resolves({ Item: { confirmed: 19, waitlisted: 1 } });
    documentMock.on(QueryCommand).resolves({ Items: [{ pk: 'TRAINING#t1', sk: 'WAITLIST#0000000001', email: 'b@school.kz' }] });
    documentMock.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed']));
    expect(await promoteHeadOfWaitlist(training, 'now')).toBeUndefined();
    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.at(-1)!.ConditionCheck).toMatchObject(trainingOpen);
  });
});

describe('an email claim the sweeper must find again', () => {
  it('stays in the sweep index, lease ended, when its send fails; others are deleted', async () => {
    documentMock.on(UpdateCommand).resolves({});
    await releaseEmailClaim('registration-confirmed#r1', { trainingId: 't1', email: 'a@school.kz' });
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'EMAIL#registration-confirmed#r1', sk: 'EMAIL' },
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeValues: expect.objectContaining({ ':sweep': 'SWEEP#email' }) as Record<string, unknown>,
    });
  });

  it('treats an abandoned email as sent, so a late retry never sends it', async () => {
    documentMock
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {}, Item: { status: { S: 'abandoned' } } }));
    expect(await claimEmail('k1')).toBe('already-sent');
  });
});
