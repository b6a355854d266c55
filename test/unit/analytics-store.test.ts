import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Analytics from '../../shared/usecases/analytics';
import { ACTIVE_MULTIPLIERS, counterName, paddedSequence, registrationContribution, type TrainingFacts } from '../../shared/domain/aggregates';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

let analytics: typeof Analytics;
beforeAll(async () => {
  analytics = await import('../../shared/usecases/analytics');
});
beforeEach(() => documentMock.reset());

const training: TrainingFacts & Record<string, unknown> = {
  pk: 'TRAINING#t1',
  sk: 'TRAINING',
  type: 'Training',
  version: 2,
  id: 't1',
  region: 'almaty',
  level: 1,
  topic: 'lesson-study',
  status: 'published',
  title: { kk: 'Сабақ' },
  sessions: [{ id: 's', startsAt: '2026-05-04T05:00:00.000Z', endsAt: '2026-05-04T08:00:00.000Z' }],
  trainer: { sub: 'sub-1', name: 'Ерлан', email: 'e@x.kz' },
  publishedAt: '2026-04-01T00:00:00.000Z',
  cascadeRootId: 'root',
  qualifyingCertificateId: 'q',
};
const registration = { pk: 'TRAINING#t1', sk: 'REG#a@x.kz', type: 'Registration', trainingId: 't1', status: 'confirmed' };

function conflict() {
  return new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
  });
}

describe('the analytics consumer applies a record once', () => {
  it('writes the delta and the marker in one transaction guarded by the marker it read', async () => {
    documentMock.on(GetCommand, { Key: { pk: 'TRAINING#t1', sk: 'TRAINING' } }).resolves({ Item: training });
    documentMock.on(GetCommand, { Key: { pk: 'AGGSRC#TRAINING#t1', sk: 'REG#a@x.kz' } }).resolves({});
    documentMock.on(TransactWriteCommand).resolves({});

    expect(await analytics.applySourceImage(registration, paddedSequence('42'))).toBe('applied');
    const transaction = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(transaction[0]!.Put).toMatchObject({
      Item: { pk: 'AGGSRC#TRAINING#t1', sk: 'REG#a@x.kz', sequence: paddedSequence('42') },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(transaction.slice(1).map((item) => item.Update!.Key)).toEqual([
      { pk: 'AGG#REGION#almaty', sk: 'MONTH#2026-05' },
      { pk: 'AGG#REGION#almaty', sk: 'TOTAL' },
    ]);
    expect(transaction[1]!.Update!.ExpressionAttributeNames).toMatchObject({ '#a0': counterName('registrations', 1, 'lesson-study') });
  });

  it('skips a duplicate: the marker already holds this record', async () => {
    const contribution = registrationContribution({ status: 'confirmed' }, training);
    documentMock.on(GetCommand, { Key: { pk: 'TRAINING#t1', sk: 'TRAINING' } }).resolves({ Item: training });
    documentMock
      .on(GetCommand, { Key: { pk: 'AGGSRC#TRAINING#t1', sk: 'REG#a@x.kz' } })
      .resolves({ Item: { sequence: paddedSequence('42'), contribution: JSON.stringify(contribution) } });

    expect(await analytics.applySourceImage(registration, paddedSequence('42'))).toBe('skipped');
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('plans again when another worker moved the marker, and then finds nothing left to do', async () => {
    const contribution = registrationContribution({ status: 'confirmed' }, training);
    documentMock.on(GetCommand, { Key: { pk: 'TRAINING#t1', sk: 'TRAINING' } }).resolves({ Item: training });
    documentMock
      .on(GetCommand, { Key: { pk: 'AGGSRC#TRAINING#t1', sk: 'REG#a@x.kz' } })
      .resolvesOnce({})
      .resolves({ Item: { sequence: paddedSequence('42'), contribution: JSON.stringify(contribution) } });
    documentMock.on(TransactWriteCommand).rejects(conflict());

    expect(await analytics.applySourceImage(registration, paddedSequence('42'))).toBe('skipped');
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('the all-time count of active multipliers', () => {
  const closed = { ...training, status: 'closed' };
  const multiplierKey = { pk: 'AGG#MULT#almaty', sk: 'TRAINER#sub-1' };
  const updateOf = (items: readonly { Update?: { Key?: Record<string, unknown> } }[], key: Record<string, unknown>) =>
    items.find((item) => JSON.stringify(item.Update?.Key) === JSON.stringify(key))!.Update as Record<string, unknown> & {
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    };

  it('counts a multiplier once their first training is held, under a condition on the count it read', async () => {
    documentMock.on(GetCommand, { Key: { pk: 'AGGSRC#TRAINING#t1', sk: 'TRAINING' } }).resolves({});
    documentMock.on(GetCommand, { Key: multiplierKey }).resolves({});
    documentMock.on(TransactWriteCommand).resolves({});

    expect(await analytics.applySourceImage(closed, paddedSequence('7'))).toBe('applied');
    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const multiplier = updateOf(items, multiplierKey);
    expect(multiplier.ConditionExpression).toBe('(attribute_not_exists(#held) OR #held = :heldBefore)');
    expect(multiplier.ExpressionAttributeValues[':heldBefore']).toBe(0);
    const total = updateOf(items, { pk: 'AGG#REGION#almaty', sk: 'TOTAL' });
    const activeName = Object.entries(total.ExpressionAttributeNames).find(([, name]) => name === ACTIVE_MULTIPLIERS)![0];
    expect(total.ExpressionAttributeValues[activeName.replace('#', ':')]).toBe(1);
  });

  it('does not count them again when they already held one, and plans again if the count moved meanwhile', async () => {
    documentMock.on(GetCommand, { Key: { pk: 'AGGSRC#TRAINING#t1', sk: 'TRAINING' } }).resolves({});
    documentMock.on(GetCommand, { Key: multiplierKey }).resolvesOnce({ Item: { trainingsHeld: 0 } }).resolves({ Item: { trainingsHeld: 1 } });
    documentMock.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});

    expect(await analytics.applySourceImage(closed, paddedSequence('7'))).toBe('applied');
    const calls = documentMock.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    const retried = calls[1]!.args[0].input.TransactItems!;
    expect(updateOf(retried, multiplierKey).ConditionExpression).toBe('#held = :heldBefore');
    expect(Object.values(updateOf(retried, { pk: 'AGG#REGION#almaty', sk: 'TOTAL' }).ExpressionAttributeNames)).not.toContain(ACTIVE_MULTIPLIERS);
  });
});
