import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { useStackTable } from '../support/stack-table';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { counterName, monthOf } from '../../shared/domain/aggregates';
import type { Training } from '../../shared/schemas/training';
import { aggregateKeys, certificateKeys } from '../../shared/store/keys';
import type * as Reconcile from '../../shared/usecases/reconcile';
import {
  accounts,
  api,
  call,
  drainStreams,
  eventually,
  newPerson,
  publishTraining,
  resetClock,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
  type ErrorBody,
  type Person,
} from '../support/api';

const MINUTE = 60_000;
type Receipt = { registrationId: string };
type MyCertificates = { items: { id: string; trainingId: string; number: string; verificationCode: string }[] };

let admin: string;
let nationalTrainer: string;
let regional: Person;
let reconcile: typeof Reconcile.reconcile;

beforeAll(async () => {
  useStackTable();
  ({ reconcile } = await import('../../shared/usecases/reconcile'));
  admin = await tokenFor(accounts.admin);
  nationalTrainer = await tokenFor(uniqueAccount('trainers', 'Гүлнұр Сейітова'));
  // A teacher in the national training, a trainer afterwards: one account, never designated.
  const account = { ...uniqueAccount('trainers', 'Ерлан Әбенов'), groups: ['trainers', 'teachers'] as const };
  regional = { email: account.email, name: account.name, token: await tokenFor({ ...account, groups: [...account.groups] }, { nationalTrainer: false }) };
});

afterEach(async () => {
  await resetClock();
});

/** Registers, marks every session present, gives feedback and closes: the participant completes. */
async function complete(training: Training, trainerToken: string, participant: Person): Promise<void> {
  const receipt = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token: participant.token, body: { fullName: participant.name } });
  expect(receipt.status, receipt.text).toBe(201);
  for (const session of training.sessions) {
    await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
    const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
      token: trainerToken,
      body: { records: [{ registrationId: receipt.body.registrationId, status: 'present' }] },
    });
    expect(sheet.status, sheet.text).toBe(200);
  }
  await setClock(new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 60 * MINUTE));
  const feedback = await api('POST', `/api/trainings/${training.id}/feedback`, {
    token: participant.token,
    body: { ratings: { overall: 4, relevance: 5, trainer: 5, materials: 4, recommend: 5 } },
  });
  expect(feedback.status, feedback.text).toBe(201);
  const closed = await api('POST', `/api/trainings/${training.id}/close`, { token: trainerToken });
  expect(closed.status, closed.text).toBe(200);
}

async function certificateOf(holder: Person, trainingId: string) {
  return eventually(
    async () => (await api<MyCertificates>('GET', '/api/me/certificates', { token: holder.token })).body.items.find((item) => item.trainingId === trainingId),
    { timeoutMs: 15_000, what: 'certificate issued' },
  );
}

async function clockNow(): Promise<number> {
  const response = await api<{ now: string }>('GET', '/api/local/clock');
  return Date.parse(response.body.now);
}

async function setCertificateStatus(certificateId: string, status: 'valid' | 'revoked'): Promise<void> {
  const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
  const key = certificateKeys.item(certificateId);
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': { S: status } },
    }),
  );
  dynamodb.destroy();
}

describe('the cascade, end to end through the gateway and the stream', () => {
  let national: Training;
  let level1: Training;
  let regionalCertificateId: string;

  it('only national trainers and admins publish level 0; level 1 needs a level-0 certificate', async () => {
    const refusedNational = await api<Training>('POST', '/api/trainings', { token: regional.token, body: trainingBody({ level: 0 }) });
    const forbidden = await api<ErrorBody>('POST', `/api/trainings/${refusedNational.body.id}/publish`, { token: regional.token });
    expect(forbidden.status, forbidden.text).toBe(403);
    expect(forbidden.body.error.message).toMatch(/national trainers/);
    // An admin may publish it for them.
    expect((await api('POST', `/api/trainings/${refusedNational.body.id}/publish`, { token: admin })).status).toBe(200);

    const draft = await api<Training>('POST', '/api/trainings', { token: regional.token, body: trainingBody({ level: 1, region: 'mangystau' }) });
    const blocked = await api<ErrorBody>('POST', `/api/trainings/${draft.body.id}/publish`, { token: regional.token });
    expect(blocked.status, blocked.text).toBe(409);
    expect(blocked.body.error.reason).toBe('no_qualifying_certificate');
    expect(blocked.body.error.message).toMatch(/a valid certificate from a level-0 training/);
  });

  it('a certified participant publishes the next level, and its certificates carry the lineage', async () => {
    national = await publishTraining(nationalTrainer, trainingBody({ level: 0, region: 'kyzylorda', title: { kk: 'Ұлттық тренерлер: өзгеріс көшбасшылығы' } }));
    expect(national.cascadeRootId).toBe(national.id);
    await complete(national, nationalTrainer, regional);
    const regionalCertificate = await certificateOf(regional, national.id);
    regionalCertificateId = regionalCertificate.id;

    level1 = await publishTraining(
      regional.token,
      trainingBody({ level: 1, region: 'mangystau', topic: 'lesson-study', title: { kk: 'Сабақты зерттеу: Маңғыстау' } }, await clockNow()),
    );
    expect(level1).toMatchObject({
      qualifyingCertificateId: regionalCertificate.id,
      qualifyingCertificateNumber: regionalCertificate.number,
      parentTrainingId: national.id,
      cascadeRootId: national.id,
    });

    const teacher = await newPerson('Әйгерім Құдайбергенқызы');
    await complete(level1, regional.token, teacher);
    const teacherCertificate = await certificateOf(teacher, level1.id);
    const verified = await call('verifyCertificate', `/api/verify/${teacherCertificate.verificationCode}`);
    expect(verified.body.trainerCertificateNumber).toBe(regionalCertificate.number);
    const nationalVerified = await call('verifyCertificate', `/api/verify/${regionalCertificate.verificationCode}`);
    expect(nationalVerified.body.trainerCertificateNumber).toBeNull();
  });

  it('a multiplier signed in as a trainer only finds their own certificates, PDF and credential under /api/me', async () => {
    const asTrainer = await tokenFor({ email: regional.email, name: regional.name, groups: ['trainers'] }, { nationalTrainer: false });
    const mine = await api<MyCertificates>('GET', '/api/me/certificates', { token: asTrainer });
    expect(mine.status, mine.text).toBe(200);
    const held = mine.body.items.find((item) => item.id === regionalCertificateId);
    expect(held?.trainingId).toBe(national.id);
    const pdf = await api('GET', `/api/certificates/${regionalCertificateId}/pdf`, { token: asTrainer });
    expect(pdf.status, pdf.text).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const credential = await api('GET', `/api/certificates/${regionalCertificateId}/credential.json`, { token: asTrainer });
    expect(credential.status, credential.text).toBe(200);
    expect(credential.text).toContain('OpenBadgeCredential');
    const registrations = await api<{ items: { trainingId: string; training?: { id: string; trainer: Record<string, unknown> } }[] }>('GET', '/api/me/registrations', { token: asTrainer });
    expect(registrations.status, registrations.text).toBe(200);
    const registration = registrations.body.items.find((item) => item.trainingId === national.id);
    // The training comes with the registration, in its public view (the trainer's name, not their account).
    expect(registration?.training?.id).toBe(national.id);
    expect(Object.keys(registration?.training?.trainer ?? {})).toEqual(['name']);
  });

  it('lists closed national trainings, the cascades\' roots, by status, level and region', async () => {
    const roots = (query: string) => api<{ items: { id: string; level: number; status: string }[] }>('GET', `/api/trainings?status=closed&level=0&limit=100&${query}`);
    const everywhere = await roots('');
    expect(everywhere.status, everywhere.text).toBe(200);
    expect(everywhere.body.items.map((item) => item.id)).toContain(national.id);
    expect(everywhere.body.items.every((item) => item.level === 0 && item.status === 'closed')).toBe(true);
    expect((await roots('region=kyzylorda')).body.items.map((item) => item.id)).toContain(national.id);
    expect((await roots('region=almaty')).body.items.map((item) => item.id)).not.toContain(national.id);
    const levelOne = await api<{ items: { id: string }[] }>('GET', '/api/trainings?status=closed&level=1&limit=100');
    expect(levelOne.body.items.map((item) => item.id)).not.toContain(national.id);
    // The public list of what is coming stays as it was: a closed training is not in it.
    const upcoming = await api<{ items: { id: string }[] }>('GET', '/api/trainings?from=2000-01-01T00:00:00Z&limit=100&region=kyzylorda');
    expect(upcoming.body.items.map((item) => item.id)).not.toContain(national.id);
    const wrong = await api<ErrorBody>('GET', '/api/trainings?status=draft&level=7');
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body.error.fields ?? {}).sort()).toEqual(['query.level', 'query.status']);
  });

  it('aggregates count the completion, and reconcile finds them equal to a recomputation', async () => {
    await drainStreams();
    const month = monthOf(level1.sessions[0]!.startsAt);
    const report = await eventually(
      async () => {
        const response = await call('regionReport', `/api/reports/regions/mangystau?from=${month}&to=${month}`,
          { token: admin },
        );
        return response.body.totals.certificatesIssued === 1 ? response.body : undefined;
      },
      { timeoutMs: 15_000, what: 'the certificate counted' },
    );
    expect(report.totals).toEqual({
      trainingsScheduled: 1,
      trainingsHeld: 1,
      trainingsCancelled: 0,
      registrations: 1,
      confirmed: 1,
      completed: 1,
      certificatesIssued: 1,
      certificatesRevoked: 0,
      activeMultipliers: 1,
      teachersReached: 1,
      // The one participant answered, so the results were released at once — as a count: one
      // rating would be that person's own, so no mean is shown, and the cell says why.
      feedbackResponses: 1,
      meanRating: null,
      meanRatingWithheld: true,
      feedbackResponseRate: 1,
    });
    expect(report.byLevel.find((row) => row.level === 1)?.metrics.trainingsHeld).toBe(1);
    expect(report.byLevel.find((row) => row.level === 0)?.metrics.trainingsHeld).toBe(0);
    const regions = await call('regionsReport', '/api/reports/regions', { token: admin });
    expect(regions.body.items.find((row) => row.region === 'mangystau')?.metrics, 'the all-time item counts the multiplier').toMatchObject({
      trainingsHeld: 1,
      activeMultipliers: 1,
    });
    expect(report.byMonth).toEqual([{ month, metrics: report.totals }]);

    const cascade = await call('cascadeReport', `/api/reports/cascade/${national.id}`, { token: admin });
    expect(cascade.status, cascade.text).toBe(200);
    expect(cascade.body.summary).toMatchObject({ multipliers: 1, trainingsHeld: 1, reach: 1, multiplicationFactor: 1 });
    expect(cascade.body.summary.dropOffByLevel[0]).toEqual({ level: 0, certified: 1, deliveredNext: 1, dropOffRate: 0 });
    expect(cascade.body.nodes).toEqual([
      expect.objectContaining({ trainingId: national.id, parentTrainingId: null, level: 0, certified: 1 }),
      expect.objectContaining({ trainingId: level1.id, parentTrainingId: national.id, level: 1, certified: 1 }),
    ]);
    const shallow = await call('cascadeReport', `/api/reports/cascade/${national.id}?depth=0`, { token: admin });
    expect(shallow.body.nodes).toHaveLength(1);
    const paged = await call('cascadeReport', `/api/reports/cascade/${national.id}?limit=1`, { token: admin });
    expect(paged.body.nodes).toHaveLength(1);
    const second = await call('cascadeReport', `/api/reports/cascade/${national.id}?limit=1&cursor=${paged.body.nextCursor}`, { token: admin });
    expect(second.body.nodes.map((node) => node.trainingId)).toEqual([level1.id]);

    const multipliers = await call('multipliersReport', '/api/reports/multipliers?region=mangystau', { token: admin });
    expect(multipliers.body.items).toEqual([
      { trainerSub: expect.any(String) as string, name: 'Ерлан Әбенов', region: 'mangystau', certificateNumber: level1.qualifyingCertificateNumber, trainingsHeld: 1, reach: 1 },
    ]);

    await drainStreams();
    const result = await reconcile({ repair: false });
    expect(result.drift, 'incremental aggregates equal the recomputed ones').toEqual([]);
    expect(result.sourceItems).toBeGreaterThan(0);
    const fineGrained = await reconcile({ repair: false, segments: 64, concurrency: 3 });
    expect(fineGrained.sourceItems, 'many small Scan segments read the same items').toBe(result.sourceItems);
    expect(fineGrained.drift).toEqual([]);

    // A counter knocked off by hand is found, and repaired.
    const monthKey = aggregateKeys.regionMonth('mangystau', month);
    const counter = counterName('completed', 1, 'lesson-study');
    const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE_NAME,
        Key: { pk: { S: monthKey.pk }, sk: { S: monthKey.sk } },
        UpdateExpression: 'ADD #counter :five',
        ExpressionAttributeNames: { '#counter': counter },
        ExpressionAttributeValues: { ':five': { N: '5' } },
      }),
    );
    dynamodb.destroy();
    const drifted = await reconcile({ repair: false });
    expect(drifted.drift).toEqual([{ item: `${monthKey.pk}\n${monthKey.sk}`, attribute: counter, expected: 1, actual: 6 }]);
    await reconcile({ repair: true });
    expect((await reconcile({ repair: false })).drift).toEqual([]);
    const repaired = await call('regionReport', `/api/reports/regions/mangystau?from=${month}&to=${month}`, { token: admin });
    expect(repaired.body.totals.completed).toBe(1);
  });

  it('confines coordinators to their region', async () => {
    const coordinator = await tokenFor({ email: `coord-${Date.now()}@test.kz`, name: 'Нұрлан Қасымов', groups: ['coordinators'], region: 'mangystau' });
    expect((await api('GET', '/api/reports/regions/almaty', { token: coordinator })).status).toBe(403);
    expect((await api('GET', '/api/reports/multipliers?region=almaty', { token: coordinator })).status).toBe(403);
    expect((await api('GET', '/api/reports/regions/mangystau', { token: coordinator })).status).toBe(200);
    const own = await call('regionsReport', '/api/reports/regions', { token: coordinator });
    expect(own.body.items.map((item) => item.region)).toEqual(['mangystau']);
    const all = await call('regionsReport', '/api/reports/regions', { token: admin });
    expect(all.body.items).toHaveLength(20);
    expect((await api('GET', '/api/reports/regions', { token: regional.token })).status).toBe(403);
    const cascade = await call('cascadeReport', `/api/reports/cascade/${national.id}`, { token: coordinator });
    expect(cascade.body.nodes.map((node) => node.region)).toEqual(['mangystau']);
  });

  it('exports parse back with Kazakh text intact', async () => {
    const csv = await api('GET', `/api/reports/cascade/${national.id}?format=csv`, { token: admin });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await (await fetch(`${inject('apiUrl')}/api/reports/regions?format=csv`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const regionsRows: string[][] = parse(bytes.toString('utf8'), { bom: true, delimiter: ';' });
    expect(regionsRows.find((row) => row[0] === 'mangystau')?.[1]).toBe('Маңғыстау облысы');
    const cascadeRows: string[][] = parse(csv.text, { bom: true, delimiter: ';' });
    expect(cascadeRows.map((row) => row[4])).toContain('Сабақты зерттеу: Маңғыстау');

    const xlsx = await fetch(`${inject('apiUrl')}/api/reports/multipliers?region=mangystau&format=xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets[0]!.getRow(2).getCell(2).value).toBe('Ерлан Әбенов');
  });

  it('an expired or revoked qualifying certificate blocks new trainings and flags the past ones', async () => {
    const inSixYears = Date.now() + 6 * 365 * 86_400_000;
    await setClock(new Date(inSixYears));
    const late = await api<Training>('POST', '/api/trainings', { token: regional.token, body: trainingBody({ level: 1 }, inSixYears) });
    const expired = await api<ErrorBody>('POST', `/api/trainings/${late.body.id}/publish`, { token: regional.token });
    expect(expired.status, expired.text).toBe(409);
    expect(expired.body.error.reason).toBe('qualifying_certificate_expired');
    expect(expired.body.error.message).toMatch(/expired on/);
    await resetClock();

    await setCertificateStatus(regionalCertificateId, 'revoked');
    const draft = await api<Training>('POST', '/api/trainings', { token: regional.token, body: trainingBody({ level: 1 }) });
    const revoked = await api<ErrorBody>('POST', `/api/trainings/${draft.body.id}/publish`, { token: regional.token });
    expect(revoked.status, revoked.text).toBe(409);
    expect(revoked.body.error.reason).toBe('qualifying_certificate_revoked');
    expect(revoked.body.error.message).toMatch(/has been revoked/);

    const cascade = await call('cascadeReport', `/api/reports/cascade/${national.id}`, { token: admin });
    expect(cascade.body.nodes.find((node) => node.trainingId === level1.id)?.flagged).toBe('qualifying-certificate-revoked');
    // The past training keeps its history.
    expect((await api<Training>('GET', `/api/trainings/${level1.id}`, { token: admin })).body.status).toBe('closed');

    await drainStreams();
    const cascadeRoot = await eventually(
      async () => {
        const response = await call('cascadeReport', `/api/reports/cascade/${national.id}`, { token: admin });
        return response.body.summary.dropOffByLevel[0]?.certified === 0 ? response.body : undefined;
      },
      { what: 'the revocation counted' },
    );
    expect(cascadeRoot.summary.dropOffByLevel[0]?.certified).toBe(0);
  });
});
