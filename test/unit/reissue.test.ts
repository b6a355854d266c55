import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Certificate } from '../../shared/store/certificates';
import type * as Reissue from '../../shared/usecases/reissue';

Object.assign(process.env, { TABLE_NAME: 'unit-table', CERTIFICATES_BUCKET: 'unit-bucket', MAIL_FROM: 'no-reply@test.kz', AWS_REGION: 'us-east-1' });
const documentMock = mockClient(DynamoDBDocumentClient);
const s3Mock = mockClient(S3Client);
const sesMock = mockClient(SESv2Client);

// The stores read their environment when they load, so they are imported after it is set.
let reissue: typeof Reissue;
beforeAll(async () => {
  reissue = await import('../../shared/usecases/reissue');
});

const certificate: Certificate = {
  certificateId: 'c1',
  trainingId: 't1',
  registrationId: 'r1',
  number: 'DESTT-2026-ALA-000001',
  verificationCode: 'ABCDEFGH12',
  holderEmail: 'a@school.kz',
  holderName: 'Әлия Құрманғазықызы',
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
  pdfStoredAt: '2026-06-02T00:00:01.000Z',
  version: 2,
};
const taskKey = { pk: 'CERT#c1', sk: 'REISSUE#000002' };
const certificateKey = { pk: 'CERT#c1', sk: 'CERT' };

function given(task: Record<string, unknown>, ...records: Certificate[]): void {
  documentMock.on(GetCommand, { Key: taskKey }).resolves({ Item: { ...taskKey, type: 'CertificateReissue', certificateId: 'c1', version: 2, ...task } });
  const certificates = documentMock.on(GetCommand, { Key: certificateKey });
  for (const record of records) certificates.resolvesOnce({ Item: { ...certificateKey, ...record } });
}

function outcomes(): unknown[] {
  return documentMock
    .commandCalls(UpdateCommand, { Key: taskKey })
    .map((call): unknown => call.args[0].input.ExpressionAttributeValues?.[':outcome']);
}

beforeEach(() => {
  documentMock.reset();
  s3Mock.reset();
  sesMock.reset();
  documentMock.on(PutCommand).resolves({});
  documentMock.on(UpdateCommand).resolves({});
  documentMock.on(DeleteCommand).resolves({});
  s3Mock.on(PutObjectCommand).resolves({});
});

describe('a reissue work item', () => {
  it('after a crash between the stored PDF and the email, is retried into exactly one email and no second PDF', async () => {
    // Read before the put, again after it (has a newer version committed meanwhile?), then on the retry.
    given({ status: 'pending' }, certificate, certificate, { ...certificate, pdfVersion: 2 });
    sesMock.on(SendEmailCommand).rejectsOnce(new Error('connection reset')).resolves({ MessageId: 'm1' });

    await expect(reissue.processReissueTask({ certificateId: 'c1', version: 2 })).rejects.toThrow('connection reset');
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'certificates/c1.pdf', ContentType: 'application/pdf' });
    // The PDF is recorded for version 2 only while the record is still version 2.
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: certificateKey,
      ConditionExpression: '#version = :version',
      ExpressionAttributeValues: expect.objectContaining({ ':version': 2 }) as Record<string, unknown>,
    });
    expect(outcomes()).toEqual([]);

    await reissue.processReissueTask({ certificateId: 'c1', version: 2 });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    const claims = documentMock.commandCalls(PutCommand).map((call): unknown => call.args[0].input.Item?.pk);
    expect(claims).toEqual(['EMAIL#certificate-reissued#c1#v2', 'EMAIL#certificate-reissued#c1#v2']);
    expect(outcomes()).toEqual(['sent']);
  });

  it('leaves the bucket at the newer version when another reissue commits while its PDF is put', async () => {
    const newer = { ...certificate, version: 3, holderName: 'Әлия Нұрланқызы' };
    given({ status: 'pending' }, certificate, newer, newer);
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await reissue.processReissueTask({ certificateId: 'c1', version: 2 });
    const puts = s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Metadata?.['certificate-version']);
    // The last object put is version 3's, whichever worker's put landed last.
    expect(puts).toEqual(['2', '3']);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(outcomes()).toEqual(['superseded']);
  });

  it('does nothing once done', async () => {
    given({ status: 'done' }, certificate);
    await reissue.processReissueTask({ certificateId: 'c1', version: 2 });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('sends nothing for a version already superseded', async () => {
    given({ status: 'pending' }, { ...certificate, version: 3 });
    await reissue.processReissueTask({ certificateId: 'c1', version: 2 });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(outcomes()).toEqual(['superseded']);
  });

  it('sends nothing for a certificate revoked meanwhile', async () => {
    given({ status: 'pending' }, { ...certificate, status: 'revoked' });
    await reissue.processReissueTask({ certificateId: 'c1', version: 2 });
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 0);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(outcomes()).toEqual(['revoked']);
  });
});
