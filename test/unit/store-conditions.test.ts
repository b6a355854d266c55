import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as EmailClaims from '../../shared/store/email-claims';
import type * as Registrations from '../../shared/store/registrations';
import type { StoredRegistration } from '../../shared/store/registrations';
import type { Training } from '../../shared/schemas/training';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

// The store reads TABLE_NAME when it loads, so it is imported after the variable is set.
let registerWithSeat: typeof Registrations.registerWithSeat;
let claimEmail: typeof EmailClaims.claimEmail;

beforeAll(async () => {
  ({ registerWithSeat } = await import('../../shared/store/registrations'));
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
