import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Zip from '../../shared/usecases/certificates-zip';

process.env.TABLE_NAME = 'unit-table';
process.env.CERTIFICATES_BUCKET = 'unit-bucket';
const documentMock = mockClient(DynamoDBDocumentClient);
const s3Mock = mockClient(S3Client);

// The modules read the environment when they load, so they are imported after it is set.
let certificatesZip: typeof Zip.certificatesZip;
let MAX_ZIP_BYTES: number;

beforeAll(async () => {
  ({ certificatesZip, MAX_ZIP_BYTES } = await import('../../shared/usecases/certificates-zip'));
});

const admin = { sub: 'admin-1', email: 'admin@test.kz', name: 'Админ', groups: ['admins' as const] };
const training = { pk: 'TRAINING#t1', sk: 'TRAINING', id: 't1', region: 'almaty', status: 'closed', trainer: { sub: 'trainer-1', name: 'Ерлан' }, version: 3 };
const certificates = Array.from({ length: 5 }, (_, index) => ({
  certificateId: `c${index}`,
  trainingId: 't1',
  number: `DESTT-2026-ALA-00000${index}`,
  holderName: `Әлия ${index}`,
  status: 'valid',
  pdfStoredAt: '2026-11-30T10:00:00.000Z',
  issuedAt: '2026-11-30T10:00:00.000Z',
  validUntil: '2031-11-30T10:00:00.000Z',
}));

/** A complete PDF of the given size, as the bucket holds it. */
function pdfOf(bytes: number): Uint8Array {
  const pdf = Buffer.alloc(bytes, 0x20);
  pdf.write('%PDF-1.7', 0, 'latin1');
  pdf.write('%%EOF', bytes - 6, 'latin1');
  return new Uint8Array(pdf);
}

let job: Record<string, unknown> | undefined;

beforeEach(() => {
  documentMock.reset();
  s3Mock.reset();
  job = undefined;
  documentMock.on(GetCommand).callsFake((input: { Key: { sk: string } }) => ({ Item: input.Key.sk === 'TRAINING' ? training : job }));
  documentMock.on(QueryCommand).resolves({ Items: certificates.map(({ certificateId }, index) => ({ registrationId: `r${index}`, trainingId: 't1', certificateId })) });
  documentMock.on(BatchGetCommand).resolves({ Responses: { 'unit-table': certificates } });
  documentMock.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
    job = input.Item;
    return {};
  });
  // Five PDFs of a fifth of the limit each: more than one response carries.
  s3Mock.on(GetObjectCommand).callsFake(() => ({ Body: { transformToByteArray: () => Promise.resolve(pdfOf(Math.ceil(MAX_ZIP_BYTES / 4))) } }));
});

describe('a training too large for one response', () => {
  it('answers a job instead of the file, created once, in the sweep index, and marked too large', async () => {
    const answer = await certificatesZip(admin, 't1');
    expect(answer).toMatchObject({ kind: 'job', status: 'building', done: 0, total: 5 });
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({ type: 'CertificatesZip', status: 'building', attempts: 0, files: 5, tooLarge: true, gsi3pk: 'SWEEP#zip' }) as Record<string, unknown>,
    });
  });

  it('answers the known job again without reading the PDFs a second time', async () => {
    await certificatesZip(admin, 't1');
    const reads = s3Mock.commandCalls(GetObjectCommand).length;
    expect(reads).toBeGreaterThan(0);
    const again = await certificatesZip(admin, 't1');
    expect(again).toMatchObject({ kind: 'job', status: 'building' });
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(reads);
    expect(documentMock.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('zips in memory what fits', async () => {
    s3Mock.on(GetObjectCommand).callsFake(() => ({ Body: { transformToByteArray: () => Promise.resolve(pdfOf(2_000)) } }));
    const answer = await certificatesZip(admin, 't1');
    expect(answer.kind).toBe('file');
    expect(documentMock.commandCalls(PutCommand)).toHaveLength(0);
  });
});
