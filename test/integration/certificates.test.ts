import { DynamoDBClient, GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { certificateIdFor } from '../../shared/certificates/codes';
import { resetClock as resetLocalClock, setClock as setLocalClock } from '../../shared/clock';
import type { Training } from '../../shared/schemas/training';
import { certificateKeys, issuanceKeys, trainingKeys } from '../../shared/store/keys';
import {
  api,
  drainStreams,
  emailsTo,
  type ErrorBody,
  eventually,
  newPerson,
  type Person,
  publishTraining,
  resetClock,
  setClock,
  type StoredEmail,
  tokenFor,
  trainingBody,
  uniqueAccount,
} from '../support/api';
import { pdfText } from '../support/pdf';
import { inProcessWorkflow, type StreamHandler, workerContext as context } from '../support/workflow-worker';

type Receipt = { registrationId: string; status: string };
type Verification = {
  status: string;
  number: string;
  holderName: string;
  trainingTitle: string;
  hours: number;
  ects: number | null;
  issuedAt: string;
  validUntil: string;
  issuer: string;
  trainerCertificateNumber: string | null;
};
type MyCertificates = { items: { id: string; trainingId: string; number: string; verificationCode: string; status: string; issuedAt: string; validUntil: string }[] };

const MINUTE = 60_000;
let workflow: StreamHandler;
let trainer: string;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  // This process plays a second and third Lambda worker next to the stack's own poller.
  workflow = await inProcessWorkflow();
  dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
  trainer = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
});

afterEach(async () => {
  await resetClock();
  resetLocalClock();
});

async function register(training: Training, who: Person): Promise<Receipt> {
  const response = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

async function putSheet(training: Training, sessionIndex: number, records: unknown[]): Promise<void> {
  const session = training.sessions[sessionIndex]!;
  await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
  const response = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, { token: trainer, body: { records } });
  expect(response.status, response.text).toBe(200);
}

async function giveFeedback(training: Training, who: Person): Promise<void> {
  const response = await api('POST', `/api/trainings/${training.id}/feedback`, {
    token: who.token,
    body: { ratings: { overall: 5, relevance: 5, trainer: 5, materials: 4, recommend: 5 } },
  });
  expect(response.status, response.text).toBe(201);
}

function oneEmail(address: string, subject: RegExp, what: string): Promise<StoredEmail> {
  return eventually(async () => (await emailsTo(address, subject))[0], { timeoutMs: 10_000, what });
}

/** The work items as the stream would carry them in INSERT records (strings only, so the shapes coincide). */
async function issuanceRecords(trainingId: string): Promise<DynamoDBRecord[]> {
  const { Items = [] } = await dynamodb.send(
    new QueryCommand({
      TableName: TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': { S: issuanceKeys.trainingPartition(trainingId) }, ':prefix': { S: issuanceKeys.taskPrefix } },
      ConsistentRead: true,
    }),
  );
  return Items.map((item, index) => {
    const image = { ...item, status: { S: 'pending' } } as unknown as Record<string, StreamAttributeValue>;
    return {
      eventID: `replayed-${index}`,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: String(index + 1), StreamViewType: 'NEW_AND_OLD_IMAGES' },
    };
  });
}

async function certificateItemExists(certificateId: string): Promise<boolean> {
  const key = certificateKeys.item(certificateId);
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
  );
  return Item !== undefined;
}

describe('certificates', () => {
  it('are issued exactly once to completers when the training is closed; the others are told what is missing', async () => {
    const training = await publishTraining(trainer, trainingBody({ capacity: 5, feedbackRequired: true, completionThreshold: 0.8 }));
    const [aliya, dauren, bota, stranger] = await Promise.all([
      newPerson('Әлия Ғалымжанқызы Құрманғазиева'),
      newPerson('Дәурен Өтепов'),
      newPerson('Ботагөз Үсенова'),
      newPerson('Іңкәр Бөкейқызы'),
    ]);
    const a = await register(training, aliya);
    const d = await register(training, dauren);
    const b = await register(training, bota);

    // Aliya and Bota attend everything; Dauren only the first session.
    await putSheet(training, 0, [a, d, b].map(({ registrationId }) => ({ registrationId, status: 'present' })));
    await putSheet(training, 1, [
      { registrationId: a.registrationId, status: 'present' },
      { registrationId: d.registrationId, status: 'absent' },
      { registrationId: b.registrationId, status: 'late', minutes: 150 },
    ]);
    await putSheet(training, 2, [
      { registrationId: a.registrationId, status: 'present' },
      { registrationId: b.registrationId, status: 'present' },
    ]);

    // Not before the last session has ended: 409 with the reason and when.
    const early = await api<ErrorBody & { error: { details?: { closableFrom: string } } }>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
    expect(early.status, early.text).toBe(409);
    expect(early.body.error.reason).toBe('sessions_not_over');
    expect(Date.parse(early.body.error.details!.closableFrom)).toBe(Date.parse(training.sessions[2]!.endsAt));

    const afterTraining = new Date(Date.parse(training.sessions[2]!.endsAt) + 60 * MINUTE);
    await setClock(afterTraining);
    // The in-process workers read the same clock as the stack (email claims' leases compare times).
    setLocalClock(afterTraining);
    await giveFeedback(training, aliya);
    expect((await api('POST', `/api/trainings/${training.id}/close`, { token: (await newPerson('Бөтен', ['trainers'])).token })).status).toBe(403);

    const closed = await api<Training>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe('closed');

    // FAULT: the same work items delivered twice more, concurrently, by two in-process workers
    // racing the stack's poller.
    const records = await issuanceRecords(training.id);
    expect(records).toHaveLength(3);
    const event: DynamoDBStreamEvent = { Records: [...records, ...records] };
    await Promise.all([workflow(event, context), workflow(event, context)]);

    const certificate = await oneEmail(aliya.email, /Сертификатыңыз/, 'certificate email');
    const pdf = certificate.attachments.find((attachment) => attachment.contentType?.startsWith('application/pdf'));
    expect(pdf, 'the certificate email carries the PDF').toBeDefined();
    const pdfBytes = Buffer.from(pdf!.content, 'base64');
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdfBytes);
    expect(text).toContain('Әлия Ғалымжанқызы Құрманғазиева');
    expect(text).toMatch(/DESTT-\d{4}-ALA-\d{6}/);

    const daurenEmail = await oneEmail(dauren.email, /Сертификат әлі берілмеді/, 'hours email');
    expect(daurenEmail.body.text).toMatch(/3 сағат/);
    expect(daurenEmail.body.text).toMatch(/7,2 сағат/);
    const botaEmail = await oneEmail(bota.email, /Сертификат әлі берілмеді/, 'feedback email');
    expect(botaEmail.body.text).toContain(`/trainings/${training.id}/feedback`);

    await drainStreams();
    // Exactly one certificate and one email, however often and concurrently the items came.
    expect(await emailsTo(aliya.email, /Сертификатыңыз/)).toHaveLength(1);
    expect(await emailsTo(dauren.email, /Сертификат/)).toHaveLength(1);
    expect(await certificateItemExists(certificateIdFor(training.id, a.registrationId))).toBe(true);
    expect(await certificateItemExists(certificateIdFor(training.id, d.registrationId))).toBe(false);
    const mine = await api<MyCertificates>('GET', '/api/me/certificates', { token: aliya.token });
    expect(mine.status, mine.text).toBe(200);
    const issued = mine.body.items.filter((item) => item.trainingId === training.id);
    expect(issued).toHaveLength(1);
    const { id, number, verificationCode } = issued[0]!;
    expect(id).toBe(certificateIdFor(training.id, a.registrationId));
    expect(number).toMatch(/^DESTT-\d{4}-ALA-\d{6}$/);
    expect(text).toContain(number);
    expect(issued[0]!.status).toBe('valid');
    expect(certificate.body.text).toContain(`/verify/${verificationCode}`);
    expect(certificate.body.text).toContain(`/api/certificates/${id}/pdf`);

    const verified = await api<Verification>('GET', `/api/verify/${verificationCode}`);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'valid',
      number,
      holderName: 'Әлия Ғалымжанқызы Құрманғазиева',
      trainingTitle: 'Көшбасшылық және өзгеріс',
      hours: 24,
      ects: 1,
      trainerCertificateNumber: null,
    });
    expect(Date.parse(verified.body.validUntil)).toBeGreaterThan(Date.parse(verified.body.issuedAt));
    expect((await api('GET', '/api/verify/ZZZZZZZZZZ')).status).toBe(404);

    const download = await api('GET', `/api/certificates/${id}/pdf`, { token: aliya.token });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect((await api('GET', `/api/certificates/${id}/pdf`, { token: trainer })).status).toBe(200);
    expect((await api('GET', `/api/certificates/${id}/pdf`, { token: stranger.token })).status).toBe(403);

    // Feedback after the close completes Bota, who had the hours: her certificate comes then.
    await giveFeedback(training, bota);
    const late = await oneEmail(bota.email, /Сертификатыңыз/, 'certificate after late feedback');
    expect(pdfText(Buffer.from(late.attachments.find((attachment) => attachment.filename?.endsWith('.pdf'))!.content, 'base64'))).toContain('Ботагөз Үсенова');

    const again = await api<ErrorBody>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('already_closed');
    await drainStreams();
    expect(await emailsTo(bota.email, /Сертификатыңыз/)).toHaveLength(1);
  });

  it('closing resumes after a crash between the status flip and the work items', async () => {
    const training = await publishTraining(trainer, trainingBody({ capacity: 5, feedbackRequired: false }));
    const [one, two] = await Promise.all([newPerson('Нұрлан Қасымов'), newPerson('Гүлназ Әбдірова')]);
    await register(training, one);
    await register(training, two);
    await setClock(new Date(Date.parse(training.sessions[2]!.endsAt) + MINUTE));

    // A close that crashed right after saving the status: closed, no work items, no stamp.
    const key = trainingKeys.item(training.id);
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE_NAME,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: 'SET #status = :closed, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': { S: 'closed' }, ':one': { N: '1' } },
      }),
    );
    expect(await issuanceRecords(training.id)).toHaveLength(0);

    const resumed = await api<Training>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.issuanceQueuedAt).toBeDefined();
    expect(await issuanceRecords(training.id)).toHaveLength(2);
    // Nobody attended: both are told their hours.
    await oneEmail(one.email, /Сертификат әлі берілмеді/, 'hours email after resumed close');
    await oneEmail(two.email, /Сертификат әлі берілмеді/, 'hours email after resumed close');

    const again = await api<ErrorBody>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('already_closed');
  });
});
