import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamAttributeValue } from 'aws-lambda';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { resetClock as resetLocalClock } from '../../shared/clock';
import type { SweepReport } from '../../shared/usecases/sweeper';
import { api, drainStreams, eventually, newPerson, resetClock, runSchedule, setClock, tokenFor, uniqueAccount } from '../support/api';
import { issuedCertificates } from '../support/certificates';
import { inProcessWorkflow, type StreamHandler, workerContext as context } from '../support/workflow-worker';

type ZipJob = { status: 'building' | 'ready' | 'failed'; done: number; total: number; downloadUrl?: string; expiresAt?: string; retryAfterSeconds: number };

const TEST_TIMEOUT_MS = 180_000;
let trainer: string;
let coordinator: string;
let workflow: StreamHandler;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  workflow = await inProcessWorkflow();
  dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
  trainer = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
  coordinator = await tokenFor({ email: `coordinator-zip-${Date.now()}@test.kz`, name: 'Гүлмира Сәрсенова', groups: ['coordinators'], region: 'almaty' });
});

afterEach(async () => {
  await resetClock();
  resetLocalClock();
});

function askForZip(trainingId: string, token = trainer) {
  return api<ZipJob>('GET', `/api/trainings/${trainingId}/certificates.zip?async=1`, { token });
}

/** Polls the ZIP as the web app does, keeping every progress figure it was shown. */
async function zipWhenReady(trainingId: string): Promise<{ job: ZipJob; seen: number[] }> {
  const seen: number[] = [];
  const job = await eventually(
    async () => {
      const response = await askForZip(trainingId);
      expect([200, 202], response.text).toContain(response.status);
      seen.push(response.body.done);
      return response.status === 200 ? response.body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200, what: 'certificates ZIP ready' },
  );
  return { job, seen };
}

async function downloaded(job: ZipJob): Promise<{ files: Record<string, Uint8Array>; disposition: string | null }> {
  // The link goes straight to the bucket (locally, the S3 emulator), as the browser follows it.
  const response = await fetch(job.downloadUrl!);
  expect(response.status).toBe(200);
  return { files: unzipSync(new Uint8Array(await response.arrayBuffer())), disposition: response.headers.get('content-disposition') };
}

function manifestRows(files: Record<string, Uint8Array>): string[][] {
  return strFromU8(files['manifest.csv']!).replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(';'));
}

function zipJobItems(trainingId: string) {
  return zipItems(trainingId, 'CertificatesZip');
}

async function zipItems(trainingId: string, type: string) {
  const { Items = [] } = await dynamodb.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: `TRAINING#${trainingId}` }, ':prefix': { S: 'CERTZIP#' } },
      ConsistentRead: true,
    }),
  );
  return Items.filter((item) => item.type?.S === type);
}

async function armFault(point: string, times: number): Promise<void> {
  const response = await api('POST', '/api/local/faults', { body: { point, times } });
  expect(response.status, response.text).toBe(200);
}

async function advanceClock(ms: number): Promise<void> {
  const { body } = await api<{ now: string }>('GET', '/api/local/clock');
  await setClock(new Date(Date.parse(body.now) + ms));
}

describe('the certificates ZIP built in the background', () => {
  it('shows progress, then a time-limited link to a ZIP of every current PDF, the revoked one listed and left out', { timeout: TEST_TIMEOUT_MS }, async () => {
    const people = await Promise.all(['Әлия Ғалымжанқызы', 'Құдайберген Өңірбек', 'Һадия Үсенова', 'Ұлжан Іскакова'].map((name) => newPerson(name)));
    const certificates = await issuedCertificates(trainer, people);
    const trainingId = certificates[0]!.trainingId;
    const revoked = certificates[1]!;
    expect((await api('POST', `/api/certificates/${revoked.id}/revoke`, { token: coordinator, body: { reason: 'Қате жазба' } })).status).toBe(200);

    const first = await askForZip(trainingId);
    expect(first.status, first.text).toBe(202);
    expect(first.body).toMatchObject({ status: 'building', total: 3, retryAfterSeconds: expect.any(Number) as unknown });
    expect(first.headers.get('retry-after')).toBe(String(first.body.retryAfterSeconds));

    const { job, seen } = await zipWhenReady(trainingId);
    expect(seen.every((done, index) => index === 0 || done >= seen[index - 1]!)).toBe(true);
    expect(job).toMatchObject({ status: 'ready', done: 3, total: 3 });
    const expiresInMs = Date.parse(job.expiresAt!) - Date.parse((await api<{ now: string }>('GET', '/api/local/clock')).body.now);
    expect(expiresInMs).toBeGreaterThan(14 * 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(15 * 60_000);
    expect(new URL(job.downloadUrl!).searchParams.get('X-Amz-Expires')).toBe('900');

    const { files, disposition } = await downloaded(job);
    expect(disposition).toBe(`attachment; filename="certificates-${trainingId}.zip"`);
    const pdfs = Object.keys(files).filter((name) => name.endsWith('.pdf'));
    expect(pdfs).toHaveLength(3);
    expect(pdfs.some((name) => name.includes(revoked.number.replaceAll('-', '_')))).toBe(false);
    for (const name of pdfs) expect(strFromU8(files[name]!.slice(0, 5))).toBe('%PDF-');
    const rows = manifestRows(files);
    expect(rows).toHaveLength(5);
    expect(rows.find((row) => row[0] === revoked.number)!.slice(1, 4)).toEqual(['Құдайберген Өңірбек', 'revoked', '']);

    // The coordinator asking for the same certificates gets the same ZIP, not a second build.
    const again = await askForZip(trainingId, coordinator);
    expect(again.status).toBe(200);
    expect(new URL(again.body.downloadUrl!).pathname).toBe(new URL(job.downloadUrl!).pathname);
    expect(await zipJobItems(trainingId)).toHaveLength(1);
  });

  it('ignores a duplicate job record, and starts a new ZIP once a certificate is revoked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const people = await Promise.all(['Айбек Тестов', 'Әйгерім Тестова', 'Ғалия Тестова'].map((name) => newPerson(name)));
    const certificates = await issuedCertificates(trainer, people);
    const trainingId = certificates[0]!.trainingId;
    expect((await askForZip(trainingId)).status).toBe(202);
    const { job } = await zipWhenReady(trainingId);
    const [item] = await zipJobItems(trainingId);
    const readyAt = item!.readyAt?.S;
    expect(readyAt).toBeDefined();

    // FAULT: the job's INSERT delivered twice more, concurrently, after the ZIP was built.
    const image = { ...item, status: { S: 'building' }, attempts: { N: '0' } } as unknown as Record<string, StreamAttributeValue>;
    const record = {
      eventID: 'replayed-zip',
      eventName: 'INSERT' as const,
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
    };
    const results = await Promise.all([workflow({ Records: [record] }, context), workflow({ Records: [record] }, context)]);
    expect(results.flatMap((result) => result.batchItemFailures)).toEqual([]);
    const [after] = await zipJobItems(trainingId);
    expect(after!.readyAt?.S).toBe(readyAt);
    expect(after!.attempts).toEqual(item!.attempts);

    expect((await api('POST', `/api/certificates/${certificates[0]!.id}/revoke`, { token: coordinator, body: { reason: 'Қате жазба' } })).status).toBe(200);
    const renewed = await askForZip(trainingId);
    expect(renewed.status).toBe(202);
    expect(renewed.body.total).toBe(2);
    const { job: second } = await zipWhenReady(trainingId);
    expect(new URL(second.downloadUrl!).pathname).not.toBe(new URL(job.downloadUrl!).pathname);
    expect(Object.keys((await downloaded(second)).files).filter((name) => name.endsWith('.pdf'))).toHaveLength(2);
    expect(await zipJobItems(trainingId)).toHaveLength(2);
  });

  it('comes back by itself after the build crashed on every delivery: the sweeper finishes it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const people = await Promise.all(['Іңкәр Тестова', 'Үміт Тестова'].map((name) => newPerson(name)));
    const certificates = await issuedCertificates(trainer, people);
    const trainingId = certificates[0]!.trainingId;
    // FAULT: every stream delivery dies just before completing the upload (the first after uploading the piece).
    await armFault('zip.before-complete', 4);
    expect((await askForZip(trainingId)).status).toBe(202);
    await drainStreams();
    const stuck = await askForZip(trainingId);
    expect(stuck.status).toBe(202);
    expect(stuck.body.status).toBe('building');

    await advanceClock(6 * 60_000);
    const report = (await runSchedule('sweeper')) as SweepReport;
    expect(report.found.zip).toBeGreaterThanOrEqual(1);
    const { job } = await zipWhenReady(trainingId);
    expect(job).toMatchObject({ status: 'ready', done: 2, total: 2 });
    const faults = await api<{ points: Record<string, { thrown: number }> }>('GET', '/api/local/faults');
    expect(faults.body.points['zip.before-complete']?.thrown).toBe(4);
    const { files } = await downloaded(job);
    expect(Object.keys(files).sort()).toHaveLength(3);
    expect(manifestRows(files)).toHaveLength(3);
    // The piece uploaded by the first delivery was kept, not made again by the later ones.
    expect(await zipItems(trainingId, 'CertificatesZipPart')).toHaveLength(1);
  });
});
