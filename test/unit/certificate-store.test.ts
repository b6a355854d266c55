import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Certificates from '../../shared/store/certificates';
import type * as Issuance from '../../shared/store/issuance';

process.env.TABLE_NAME = 'unit-table';
process.env.CERTIFICATES_BUCKET = 'unit-bucket';
const documentMock = mockClient(DynamoDBDocumentClient);

// The store reads its environment when it loads, so it is imported after the variables are set.
let store: typeof Certificates;
let issuance: typeof Issuance;

beforeAll(async () => {
  store = await import('../../shared/store/certificates');
  issuance = await import('../../shared/store/issuance');
});

beforeEach(() => documentMock.reset());

const certificate: Certificates.Certificate = {
  certificateId: 'c1',
  trainingId: 't1',
  registrationId: 'r1',
  number: 'DESTT-2026-ALA-000001',
  verificationCode: 'ABCDEFGH12',
  holderEmail: 'a@school.kz',
  holderName: 'Әлия',
  language: 'kk',
  trainingTitle: { kk: 'Көшбасшылық' },
  hours: 24,
  sessionDates: ['2026-06-01T04:00:00.000Z'],
  trainerName: 'Ерлан',
  trainerSub: 's1',
  region: 'almaty',
  issuer: { kk: 'kk', ru: 'ru', en: 'en' },
  issuedAt: '2026-06-02T00:00:00.000Z',
  validUntil: '2031-06-02T00:00:00.000Z',
  level: 2,
  trainerCertificateId: '',
  status: 'valid',
};

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe('certificate store', () => {
  it('draws numbers with one atomic ADD per region and year', async () => {
    documentMock.on(UpdateCommand).resolves({ Attributes: { seq: 7 } });
    expect(await store.nextCertificateSequence('ALA', 2026)).toBe(7);
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'COUNTER#CERT#ALA#2026', sk: 'COUNTER' },
      UpdateExpression: expect.stringContaining('ADD seq :one') as string,
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it('claims the certificate and its code in one transaction, both only if new', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await store.claimCertificate(certificate)).toBe('claimed');
    const input = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    const [record, code] = input.TransactItems!;
    expect(record!.Put).toMatchObject({
      Item: { pk: 'CERT#c1', sk: 'CERT', gsi1pk: 'PERSON#a@school.kz', gsi1sk: 'CERT#2026-06-02T00:00:00.000Z#c1', type: 'Certificate' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(code!.Put).toMatchObject({ Item: { pk: 'CERTCODE#ABCDEFGH12', certificateId: 'c1' }, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('tells a lost claim from a taken code', async () => {
    documentMock.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await store.claimCertificate(certificate)).toBe('exists');
    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']));
    expect(await store.claimCertificate(certificate)).toBe('code_taken');
  });

  it('writes issuance work items only where none exists, retrying a chunk without the existing ones', async () => {
    const task = (id: string) => ({ trainingId: 't1', registrationId: id, email: `${id}@x.kz`, status: 'pending' as const, createdAt: 'now' });
    documentMock.on(TransactWriteCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None'])).resolves({});
    expect(await issuance.writeIssuanceTasks([task('a'), task('b'), task('c')])).toBe(2);
    const calls = documentMock.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    const retried = calls[1]!.args[0].input.TransactItems!.map((item) => item.Put!.Item!.sk as string);
    expect(retried).toEqual(['ISSUE#a', 'ISSUE#c']);
    for (const item of calls[1]!.args[0].input.TransactItems!) expect(item.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
  });
});
