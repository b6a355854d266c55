import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { certificateIdFor } from '../../shared/certificates/codes';
import type { Training } from '../../shared/schemas/training';
import type { Certificate } from '../../shared/store/certificates';
import type { StoredRegistration } from '../../shared/store/registrations';
import type * as Certificates from '../../shared/usecases/certificates';
import type * as Issuance from '../../shared/usecases/issuance';

Object.assign(process.env, { TABLE_NAME: 'unit-table', CERTIFICATES_BUCKET: 'unit-bucket', MAIL_FROM: 'no-reply@test.kz', AWS_REGION: 'us-east-1' });
const documentMock = mockClient(DynamoDBDocumentClient);
const s3Mock = mockClient(S3Client);
const sesMock = mockClient(SESv2Client);

let issuance: typeof Issuance;
let certificates: typeof Certificates;
beforeAll(async () => {
  issuance = await import('../../shared/usecases/issuance');
  certificates = await import('../../shared/usecases/certificates');
});

const registration: StoredRegistration = {
  registrationId: 'r1',
  trainingId: 't1',
  email: 'a@school.kz',
  fullName: 'Әлия Құрманғазықызы',
  preferredLanguage: 'kk',
  status: 'confirmed',
  registeredAt: '2026-05-01T00:00:00.000Z',
  confirmedAt: '2026-05-01T00:00:00.000Z',
  source: 'self',
};
const training = { id: 't1', region: 'almaty', trainer: { sub: 's1', name: 'Ерлан', email: 'erlan@school.kz' } } as Training;
const certificateId = certificateIdFor('t1', 'r1');
const certificateKey = { pk: `CERT#${certificateId}`, sk: 'CERT' };
// Claimed by an earlier attempt that crashed before its PDF: this call finds it and puts the PDF.
const firstVersion: Certificate = {
  certificateId,
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
  level: 0,
  trainerCertificateId: '',
  status: 'valid',
};
const reissued: Certificate = {
  ...firstVersion,
  holderName: 'Әлия Нұрланқызы',
  version: 2,
  history: [{ version: 1, fullName: firstVersion.holderName, issuedAt: firstVersion.issuedAt }],
};

beforeEach(() => {
  documentMock.reset();
  s3Mock.reset();
  sesMock.reset();
  documentMock.on(PutCommand).resolves({});
  documentMock.on(UpdateCommand).resolves({});
  documentMock.on(DeleteCommand).resolves({});
  documentMock.on(TransactWriteCommand).resolves({});
  s3Mock.on(PutObjectCommand).resolves({});
  s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'none', $metadata: {} }));
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'm1' });
});

describe('the first issuance racing a reissue', () => {
  it('puts the reissued version after its own when the reissue committed while its PDF was being put', async () => {
    // Read when the issuance starts (version 1), then after its put: a reissue committed meanwhile.
    documentMock.on(GetCommand, { Key: certificateKey }).resolvesOnce({ Item: { ...certificateKey, ...firstVersion } }).resolves({ Item: { ...certificateKey, ...reissued } });
    // The stamp after the first put is conditional on version 1, which the reissue moved on.
    documentMock
      .on(TransactWriteCommand)
      .rejectsOnce(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }))
      .resolves({});
    await issuance.issueCertificate(training, registration);
    const versions = s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Metadata?.['certificate-version']);
    expect(versions).toEqual(['1', '2']);
    // The last object in the bucket is version 2's: the bucket keeps the reissued name whichever put landed last.
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('puts once when nothing changed meanwhile', async () => {
    documentMock.on(GetCommand, { Key: certificateKey }).resolves({ Item: { ...certificateKey, ...firstVersion } });
    await issuance.issueCertificate(training, registration);
    expect(s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Metadata?.['certificate-version'])).toEqual(['1']);
  });
});

describe('the download', () => {
  const holder = { sub: 'u1', email: 'a@school.kz', name: 'Әлия', groups: ['teachers' as const] };
  const stored = { ...reissued, pdfStoredAt: '2026-06-03T00:00:00.000Z', pdfVersion: 2 };

  function objectOfVersion(version: string, content = '%PDF-1.7\n1 0 obj\n%%EOF\n') {
    return { Body: { transformToByteArray: () => Promise.resolve(new TextEncoder().encode(content)) }, Metadata: { 'certificate-version': version } } as never;
  }

  it('never hands out a PDF put late for an older version, even while the record says the current one is stored', async () => {
    documentMock.on(GetCommand, { Key: certificateKey }).resolves({ Item: { ...certificateKey, ...stored } });
    s3Mock.on(GetObjectCommand).resolves(objectOfVersion('1'));
    await expect(certificates.certificatePdf(holder, certificateId)).rejects.toMatchObject({ reason: 'pdf_not_ready' });
    s3Mock.on(GetObjectCommand).resolves(objectOfVersion('2'));
    expect((await certificates.certificatePdf(holder, certificateId)).number).toBe(stored.number);
  });

  it('treats a partly written object (the local emulator answering a read racing a put) as not there yet', async () => {
    documentMock.on(GetCommand, { Key: certificateKey }).resolves({ Item: { ...certificateKey, ...stored } });
    s3Mock.on(GetObjectCommand).resolves(objectOfVersion('2', '%PDF-1.7\n1 0 obj'));
    await expect(certificates.certificatePdf(holder, certificateId)).rejects.toMatchObject({ reason: 'pdf_not_ready' });
    s3Mock.on(GetObjectCommand).resolves(objectOfVersion('2', ''));
    await expect(certificates.certificatePdf(holder, certificateId)).rejects.toMatchObject({ reason: 'pdf_not_ready' });
  });
});
