import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import type { Training } from '../../shared/schemas/training';
import { registrationKeys, trainingKeys } from '../../shared/store/keys';
import {
  api,
  type ErrorBody,
  newPerson,
  type Person,
  publishTraining,
  resetClock,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
} from '../support/api';

type Receipt = { registrationId: string; status: 'confirmed' | 'waitlisted' };
type WriteResult = { written: number; unchanged: number };
type Code = { code: string; qrSvg: string; checkInUrl: string; expiresAt: string; rotatesAt: string };
type CheckIn = { trainingId: string; sessionId: string; registrationId: string; status: string; alreadyRecorded: boolean };
type Report = {
  plannedHours: number;
  requiredHours: number;
  participants: { registrationId: string; fullName: string; sessions: Record<string, string>; attendedHours: number; completed: boolean }[];
};

const MINUTE = 60_000;


let trainer: string;
let otherTrainer: string;
let admin: string;

const person = (name: string) => newPerson(name);

function publishedTraining(overrides: Record<string, unknown> = {}, now = Date.now()): Promise<Training> {
  return publishTraining(trainer, trainingBody(overrides, now));
}

async function register(training: Training, who: Person): Promise<Receipt> {
  const response = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

function at(instant: string, offsetMs = 0): Date {
  return new Date(Date.parse(instant) + offsetMs);
}

function putSheet(training: Training, sessionIndex: number, records: unknown[], token = trainer, sessionId = training.sessions[sessionIndex]?.id) {
  return api<WriteResult & ErrorBody>('PUT', `/api/trainings/${training.id}/sessions/${sessionId}/attendance`, { token, body: { records } });
}

function issueCode(training: Training, sessionIndex: number, token = trainer) {
  return api<Code & ErrorBody>('POST', `/api/trainings/${training.id}/sessions/${training.sessions[sessionIndex]!.id}/check-in-codes`, { token });
}

async function currentCode(training: Training, sessionIndex: number): Promise<string> {
  const response = await issueCode(training, sessionIndex);
  expect(response.status, response.text).toBe(200);
  return response.body.code;
}

function checkIn(who: Person, code: string) {
  return api<CheckIn & ErrorBody>('POST', '/api/check-in', { token: who.token, body: { code } });
}

async function expectRejected(response: Promise<{ status: number; body: ErrorBody; text: string }>, status: number, reason: string) {
  const { status: actual, body, text } = await response;
  expect(actual, text).toBe(status);
  expect(body.error.reason, text).toBe(reason);
  return body.error.message;
}

async function report(training: Training, token = trainer): Promise<Report> {
  const response = await api<Report>('GET', `/api/trainings/${training.id}/attendance`, { token });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** What a later issue's "close the training" will do; until then the test sets the status itself. */
async function updateItem(key: { pk: string; sk: string }, attribute: string, value: string): Promise<void> {
  const dynamodb = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      UpdateExpression: 'SET #attribute = :value',
      ExpressionAttributeNames: { '#attribute': attribute },
      ExpressionAttributeValues: { ':value': { S: value } },
    }),
  );
  dynamodb.destroy();
}

beforeAll(async () => {
  [trainer, otherTrainer, admin] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor(uniqueAccount('trainers', 'Бақыт Сәрсенов')),
    tokenFor(uniqueAccount('admins', 'Әсел Admin')),
  ]);
});

afterEach(async () => {
  await resetClock();
});

describe('the trainer\'s attendance sheet', () => {
  it('is bulk and idempotent, only for started sessions and confirmed participants, never partly written, and final once closed', async () => {
    const training = await publishedTraining({ capacity: 2 });
    const [aliya, dauren, waiting] = await Promise.all([person('Әлия Ғалымжанқызы'), person('Дәурен Өтепов'), person('Һадия Үсенова')]);
    const a = await register(training, aliya);
    const d = await register(training, dauren);
    const w = await register(training, waiting);
    expect(w.status).toBe('waitlisted');
    const first = training.sessions[0]!;

    await expectRejected(putSheet(training, 0, [{ registrationId: a.registrationId, status: 'present' }]), 409, 'session_not_started');
    await setClock(at(first.startsAt, 30 * MINUTE));

    // Every bad record is named, and none of the good ones is written.
    const rejected = await putSheet(training, 0, [
      { registrationId: a.registrationId, status: 'present' },
      { registrationId: w.registrationId, status: 'present' },
      { registrationId: 'not-a-registration', status: 'present' },
      { registrationId: d.registrationId, status: 'late', minutes: 181 },
    ]);
    expect(rejected.status, rejected.text).toBe(400);
    expect(Object.keys(rejected.body.error.fields ?? {}).sort()).toEqual([
      'records.1.registrationId',
      'records.2.registrationId',
      'records.3.minutes',
    ]);
    const malformed = await putSheet(training, 0, [
      { registrationId: a.registrationId, status: 'late' },
      { registrationId: a.registrationId, status: 'present' },
    ]);
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body.error.fields ?? {}).sort()).toEqual(['records.0.minutes', 'records.1.registrationId']);
    expect((await report(training)).participants.map((row) => row.sessions[first.id])).toEqual(['unmarked', 'unmarked']);

    const sheet = [
      { registrationId: a.registrationId, status: 'present' },
      { registrationId: d.registrationId, status: 'late', minutes: 90 },
    ];
    expect((await putSheet(training, 0, sheet)).body).toMatchObject({ written: 2, unchanged: 0 });
    expect((await putSheet(training, 0, sheet)).body).toMatchObject({ written: 0, unchanged: 2 });
    expect((await putSheet(training, 0, sheet, admin)).body).toMatchObject({ written: 0, unchanged: 2 });

    expect((await putSheet(training, 0, sheet, otherTrainer)).status).toBe(403);
    expect((await putSheet(training, 0, sheet, aliya.token)).status).toBe(403);
    expect((await putSheet(training, 0, sheet, trainer, 'no-such-session')).status).toBe(404);
    // The next session has not started.
    await expectRejected(putSheet(training, 1, sheet), 409, 'session_not_started');

    const rows = (await report(training)).participants;
    expect(rows.map((row) => [row.fullName, row.sessions[first.id], row.attendedHours])).toEqual([
      ['Әлия Ғалымжанқызы', 'present', 3],
      ['Дәурен Өтепов', 'late', 1.5],
    ]);

    await updateItem(trainingKeys.item(training.id), 'status', 'closed');
    await expectRejected(putSheet(training, 0, [{ registrationId: a.registrationId, status: 'absent' }]), 409, 'closed');
  });
});

describe('self check-in', () => {
  it('marks a confirmed participant present with the current or the previous code; a repeat is harmless; the trainer has the last word', async () => {
    const training = await publishedTraining();
    const [aliya, nurlan] = await Promise.all([person('Әлия Ғалымжанқызы'), person('Нұрлан Қасымов')]);
    const a = await register(training, aliya);
    const n = await register(training, nurlan);
    const first = training.sessions[0]!;
    await setClock(at(first.startsAt, 20 * MINUTE));

    const issued = await issueCode(training, 0);
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(issued.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(issued.body.checkInUrl).toMatch(new RegExp(`/check-in\\?code=${issued.body.code}$`));
    expect(Date.parse(issued.body.expiresAt) - Date.parse(issued.body.rotatesAt)).toBe(MINUTE);

    // A minute later the screen shows the next code; the one just typed still counts.
    await setClock(new Date(Date.parse(issued.body.rotatesAt) + 1_000));
    const checkedIn = await checkIn(aliya, issued.body.code.toLowerCase());
    expect(checkedIn.status, checkedIn.text).toBe(200);
    expect(checkedIn.body).toMatchObject({ sessionId: first.id, registrationId: a.registrationId, status: 'present', alreadyRecorded: false });
    const again = await checkIn(aliya, await currentCode(training, 0));
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ status: 'present', alreadyRecorded: true });

    // The trainer's sheet overrides a check-in; a check-in never overrides the sheet.
    const sheet = await putSheet(training, 0, [
      { registrationId: a.registrationId, status: 'late', minutes: 150 },
      { registrationId: n.registrationId, status: 'absent' },
    ]);
    expect(sheet.body).toMatchObject({ written: 2 });
    expect((await checkIn(aliya, await currentCode(training, 0))).body).toMatchObject({ status: 'late', alreadyRecorded: true });
    await expectRejected(checkIn(nurlan, await currentCode(training, 0)), 409, 'marked_absent');
    const rows = (await report(training)).participants;
    expect(rows.find((row) => row.registrationId === a.registrationId)?.sessions[first.id]).toBe('late');

    // Only the training's trainer (or an admin) shows its code.
    expect((await issueCode(training, 0, otherTrainer)).status).toBe(403);
    expect((await issueCode(training, 0, aliya.token)).status).toBe(403);
    expect((await issueCode(training, 0, admin)).status).toBe(200);
  });

  it('rejects every abuse with its reason: expired, another session\'s code, not registered, waitlisted, not running', async () => {
    const now = Date.now();
    const training = await publishedTraining({ capacity: 1 }, now);
    // Another training at the same hours, which the participant is not registered for.
    const elsewhere = await publishedTraining({}, now);
    const [bota, waiting, outsider] = await Promise.all([person('Бота Құрманғазықызы'), person('Ұлжан Өмірзақова'), person('Ілияс Һашимов')]);
    await register(training, bota);
    expect((await register(training, waiting)).status).toBe('waitlisted');
    const [first, second] = training.sessions;

    await setClock(at(first!.startsAt, 60 * MINUTE));
    const code = await currentCode(training, 0);
    await expectRejected(checkIn(outsider, code), 409, 'not_registered');
    await expectRejected(checkIn(waiting, code), 409, 'waitlisted');
    const wrong = await expectRejected(checkIn(bota, await currentCode(elsewhere, 0)), 409, 'wrong_session');
    expect(wrong).toContain('Leadership and change');

    // More than two windows later the code has expired.
    await setClock(at(first!.startsAt, 63 * MINUTE));
    await expectRejected(checkIn(bota, code), 409, 'code_expired');

    // Yesterday's code is no code for today's session.
    await setClock(at(second!.startsAt, 10 * MINUTE));
    await expectRejected(checkIn(bota, code), 409, 'wrong_session');

    // Shown 30 minutes before the start: check-in opens 15 minutes before.
    const third = training.sessions[2]!;
    await setClock(at(third.startsAt, -30 * MINUTE));
    const early = await expectRejected(checkIn(bota, await currentCode(training, 2)), 409, 'session_not_running');
    expect(early).toMatch(/opens at/);
    await setClock(at(third.startsAt, -61 * MINUTE));
    await expectRejected(issueCode(training, 2), 409, 'check_in_not_open');

    // A code taken in the last seconds of a session, typed after it ended.
    await setClock(at(second!.endsAt, -20_000));
    const last = await currentCode(training, 1);
    await setClock(at(second!.endsAt, 5_000));
    const ended = await expectRejected(checkIn(bota, last), 409, 'session_not_running');
    expect(ended).toMatch(/ended at/);
    await expectRejected(issueCode(training, 1), 409, 'session_ended');

    const malformed = await checkIn(bota, '0O1I');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields?.code).toBeDefined();
    expect((await api('POST', '/api/check-in', { token: trainer, body: { code: last } })).status).toBe(403);

    // None of the rejected attempts left a mark.
    expect((await report(training)).participants.map((row) => Object.values(row.sessions))).toEqual([
      ['unmarked', 'unmarked', 'unmarked'],
    ]);
  });
});

describe('completion and the report files', () => {
  it('completes after missing 1 of 5 equal sessions at 0.8, not after missing 2; CSV and XLSX keep Kazakh names', async () => {
    const start = Math.floor((Date.now() + 10 * 86_400_000) / MINUTE) * MINUTE;
    const sessions = Array.from({ length: 5 }, (_, day) => ({
      startsAt: new Date(start + day * 86_400_000).toISOString(),
      endsAt: new Date(start + day * 86_400_000 + 2 * 3_600_000).toISOString(),
    }));
    // Feedback is not required here, so completion rests on attendance alone.
    const training = await publishedTraining({ sessions, hours: 10, completionThreshold: 0.8, feedbackRequired: false });
    const [aliya, nursultan] = await Promise.all([person('Әлия Ғалымжанқызы'), person('Нұрсұлтан Өтегенұлы')]);
    const missedOne = await register(training, aliya);
    const missedTwo = await register(training, nursultan);

    await setClock(at(training.sessions[4]!.startsAt, 30 * MINUTE));
    for (const [index, session] of training.sessions.entries()) {
      const response = await putSheet(training, index, [
        { registrationId: missedOne.registrationId, status: index === 2 ? 'absent' : 'present' },
        { registrationId: missedTwo.registrationId, status: index === 1 || index === 3 ? 'absent' : 'present' },
      ]);
      expect(response.status, `${session.id}: ${response.text}`).toBe(200);
    }

    const json = await report(training);
    expect(json).toMatchObject({ plannedHours: 10, requiredHours: 8 });
    expect(json.participants.map((row) => [row.fullName, row.attendedHours, row.completed])).toEqual([
      ['Әлия Ғалымжанқызы', 8, true],
      ['Нұрсұлтан Өтегенұлы', 6, false],
    ]);

    const csv = await fetch(`${inject('apiUrl')}/api/trainings/${training.id}/attendance?format=csv`, {
      headers: { authorization: `Bearer ${trainer}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="attendance-${training.id}.csv"`);
    const csvBytes = Buffer.from(await csv.arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvBytes.toString('utf8')).toContain('\r\n');
    const table: string[][] = parse(csvBytes, { bom: true, delimiter: ';' });
    const sessionHeadings = sessions.map((_, index) => expect.stringMatching(new RegExp(`^Сабақ ${index + 1} \\(`)) as unknown);
    expect(table[0]).toEqual(['Аты-жөні', 'Email', ...sessionHeadings, 'Қатысқан сағат', 'Аяқтады']);
    // Әлия missed session 3, Нұрсұлтан sessions 2 and 4.
    expect(table.slice(1).map((row) => [row[0], row[4], row[7], row[8]])).toEqual([
      ['Әлия Ғалымжанқызы', 'қатыспады', '8', 'иә'],
      ['Нұрсұлтан Өтегенұлы', 'қатысты', '6', 'жоқ'],
    ]);

    const xlsx = await fetch(`${inject('apiUrl')}/api/trainings/${training.id}/attendance?format=xlsx&lang=ru`, {
      headers: { authorization: `Bearer ${trainer}` },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('Посещаемость')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('ФИО');
    expect([2, 3].map((row) => [sheet.getRow(row).getCell(1).value, sheet.getRow(row).getCell(8).value, sheet.getRow(row).getCell(9).value])).toEqual([
      ['Әлия Ғалымжанқызы', 8, 'да'],
      ['Нұрсұлтан Өтегенұлы', 6, 'нет'],
    ]);

    // The region's coordinator may read it; another trainer and a participant may not.
    const coordinator = await tokenFor({ email: `coord-${Date.now()}@test.kz`, name: 'Нұрлан', groups: ['coordinators'], region: 'almaty' });
    expect((await api('GET', `/api/trainings/${training.id}/attendance?format=csv`, { token: coordinator })).status).toBe(200);
    expect((await api('GET', `/api/trainings/${training.id}/attendance`, { token: otherTrainer })).status).toBe(403);
    expect((await api('GET', `/api/trainings/${training.id}/attendance`, { token: aliya.token })).status).toBe(403);
  });

  it('counts the feedback a training requires, read from the registration', async () => {
    const training = await publishedTraining({ feedbackRequired: true, completionThreshold: 0.3 });
    const [gave, silent] = await Promise.all([person('Жанар Әліқызы'), person('Серік Ғабитұлы')]);
    const records = [await register(training, gave), await register(training, silent)].map((receipt) => ({
      registrationId: receipt.registrationId,
      status: 'present',
    }));
    await setClock(at(training.sessions[0]!.startsAt, 10 * MINUTE));
    expect((await putSheet(training, 0, records)).status).toBe(200);
    await updateItem(registrationKeys.item(training.id, gave.email), 'feedbackSubmittedAt', new Date().toISOString());
    const rows = (await report(training)).participants;
    expect(rows.map((row) => [row.fullName, row.attendedHours, row.completed])).toEqual([
      ['Жанар Әліқызы', 3, true],
      ['Серік Ғабитұлы', 3, false],
    ]);
  });
});
