import { createHash } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import type { Training } from '../../shared/schemas/training';
import { attendanceKeys } from '../../shared/store/keys';
import { api, type ErrorBody, newPerson, type Person, publishTraining, resetClock, setClock, tokenFor, trainingBody, uniqueAccount, call } from '../support/api';
import { tsv, utf16WithBom, utf8 } from '../support/teams-reports';

type Mark = {
  registrationId: string;
  fullName: string;
  status: string;
  minutes: number;
  matchedFrom: { key: string; by: string }[];
  current?: { status: string; source: string };
};
type Preview = {
  mode: string;
  session: { minutes: number; thresholdMinutes: number };
  files: { name: string; sha256: string }[];
  marks: Mark[];
  unmatched: { key: string; name: string; minutes: number; line: number }[];
  ignored: { name: string; reason: string }[];
  notFound: string[];
  unreadable: { line: number; problem: string }[];
  applied?: { written: number; unchanged: number };
};
type Report = { participants: { fullName: string; sessions: Record<string, string>; attendedHours: number }[] };
type Failure = ErrorBody & { error: { details?: Record<string, string> } };

const MINUTE = 60_000;
let trainer: string;
let otherTrainer: string;

/** Teams (English, US) writes the organizer's wall-clock time: 11/26/26, 4:02:00 PM. */
const usTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Almaty',
  year: '2-digit',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
});
const us = (instant: number) => usTime.format(new Date(instant)).replace(/\u202f/g, ' ');

function reportFile(start: number, rows: { name: string; email: string; role: string; from: number; to: number }[]): string {
  const people = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!people.has(row.name)) people.set(row.name, row);
  return tsv([
    ['1. Summary'],
    ['Meeting title', 'Көшбасшылық: 1-сабақ'],
    ['Start time', us(start - 5 * MINUTE)],
    ['End time', us(start + 190 * MINUTE)],
    [],
    ['2. Participants'],
    ['Name', 'First Join', 'Last Leave', 'In-Meeting Duration', 'Email', 'Participant ID (UPN)', 'Role'],
    ...[...people.values()].map((row) => [row.name, us(start + row.from * MINUTE), us(start + row.to * MINUTE), '', row.email, row.email, row.role]),
    [],
    ['3. In-Meeting Activities'],
    ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
    ...rows.map((row) => [row.name, us(start + row.from * MINUTE), us(start + row.to * MINUTE), '', row.email, row.role]),
  ]);
}

function importReport(training: Training, body: Record<string, unknown>, token = trainer, sessionId = training.sessions[0]!.id) {
  return api<Preview & Failure>('POST', `/api/trainings/${training.id}/sessions/${sessionId}/attendance/teams-report`, { token, body });
}

async function register(training: Training, who: Person): Promise<string> {
  const response = await call('register', `/api/trainings/${training.id}/registrations`, {
    token: who.token,
    body: { fullName: who.name },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.registrationId;
}

async function sessionColumn(training: Training): Promise<[string, string | undefined, number][]> {
  const response = await api<Report>('GET', `/api/trainings/${training.id}/attendance`, { token: trainer });
  expect(response.status, response.text).toBe(200);
  return response.body.participants.map((row) => [row.fullName, row.sessions[training.sessions[0]!.id], row.attendedHours]);
}

async function storedMark(training: Training, registrationId: string): Promise<Record<string, unknown>> {
  const dynamodb = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: TABLE_NAME, Key: toAttributes(attendanceKeys.item(training.id, training.sessions[0]!.id, registrationId)), ConsistentRead: true }),
  );
  dynamodb.destroy();
  return Item ? unmarshall(Item) : {};
}

function toAttributes(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

beforeAll(async () => {
  [trainer, otherTrainer] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor(uniqueAccount('trainers', 'Бақыт Сәрсенов')),
  ]);
});

afterEach(async () => {
  await resetClock();
});

describe('importing a Teams attendance report', () => {
  it('previews without writing, refuses what it cannot use, then applies with corrections through the attendance write', async () => {
    const training = await publishTraining(trainer, trainingBody());
    const [aliya, dauren, hadiya] = await Promise.all([
      newPerson('Әлия Ғалымжанқызы'),
      newPerson('Дәурен Өтепов'),
      newPerson('Һадия Үсенова'),
    ]);
    const a = await register(training, aliya);
    const d = await register(training, dauren);
    const h = await register(training, hadiya);
    const session = training.sessions[0]!;
    const start = Date.parse(session.startsAt);

    const content = reportFile(start, [
      { name: 'Ерлан Әбенов', email: 'organizer@demo.kz', role: 'Organizer', from: -5, to: 190 },
      { name: 'Әлия Ғалымжанқызы', email: aliya.email.toUpperCase(), role: 'Attendee', from: -3, to: 185 },
      // Signed in to Teams with another account: found by name (word order, no Kazakh letters).
      { name: 'Отепов Даурен', email: 'd.otepov@gmail.com', role: 'Attendee', from: 0, to: 60 },
      { name: 'Отепов Даурен', email: 'd.otepov@gmail.com', role: 'Attendee', from: 90, to: 180 },
      { name: 'Guest 4821', email: '', role: 'Attendee', from: 10, to: 40 },
    ]);
    const bytes = utf16WithBom(content);
    const files = [{ name: 'Көшбасшылық - Attendance report 1.csv', content: Buffer.from(bytes).toString('base64') }];

    // A report cannot be imported before the session has started.
    expect((await importReport(training, { files })).body.error.reason).toBe('session_not_started');
    await setClock(new Date(start + 200 * MINUTE));

    expect((await importReport(training, { files }, otherTrainer)).status).toBe(403);
    expect((await importReport(training, { files }, aliya.token)).status).toBe(403);

    const preview = await importReport(training, { files });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.mode).toBe('preview');
    expect(preview.body.session).toEqual({ startsAt: session.startsAt, endsAt: session.endsAt, minutes: 180, thresholdMinutes: 144 });
    expect(preview.body.files).toEqual([{ name: files[0]!.name, sha256: createHash('sha256').update(bytes).digest('hex') }]);
    expect(preview.body.marks.map((mark) => [mark.fullName, mark.minutes, mark.status, mark.matchedFrom.map((row) => row.by)])).toEqual([
      ['Әлия Ғалымжанқызы', 180, 'present', ['email']],
      ['Дәурен Өтепов', 150, 'present', ['name']],
      ['Һадия Үсенова', 0, 'absent', []],
    ]);
    expect(preview.body.unmatched).toEqual([expect.objectContaining({ name: 'Guest 4821', minutes: 30, line: 11 })]);
    expect(preview.body.ignored).toEqual([expect.objectContaining({ name: 'Ерлан Әбенов', reason: 'organizer' })]);
    expect(preview.body.notFound).toEqual([h]);
    expect(preview.body.applied).toBeUndefined();
    expect(await sessionColumn(training)).toEqual([
      ['Әлия Ғалымжанқызы', 'unmarked', 0],
      ['Дәурен Өтепов', 'unmarked', 0],
      ['Һадия Үсенова', 'unmarked', 0],
    ]);

    // Not a Teams report: 400 naming the expected format.
    const roster = Buffer.from(utf8('fullName;email\nӘлия;a@b.kz\n')).toString('base64');
    const notTeams = await importReport(training, { files: [{ name: 'roster.csv', content: roster }] });
    expect(notTeams.status, notTeams.text).toBe(400);
    expect(notTeams.body.error.message).toMatch(/not a Microsoft Teams attendance report.*Participants/);
    expect(Object.keys(notTeams.body.error.fields ?? {})).toEqual(['files.0']);

    // The meeting of another day: 409 with both times.
    const dayLater = Buffer.from(utf16WithBom(reportFile(start + 24 * 60 * MINUTE, [
      { name: 'Әлия Ғалымжанқызы', email: aliya.email, role: 'Attendee', from: 0, to: 180 },
    ]))).toString('base64');
    const elsewhere = await importReport(training, { files: [{ name: 'day 2.csv', content: dayLater }] });
    expect(elsewhere.status, elsewhere.text).toBe(409);
    expect(elsewhere.body.error.reason).toBe('meeting_outside_session');
    expect(elsewhere.body.error.details).toEqual({
      fileName: 'day 2.csv',
      meetingStartsAt: new Date(start + (24 * 60 - 5) * MINUTE).toISOString(),
      meetingEndsAt: new Date(start + (24 * 60 + 190) * MINUTE).toISOString(),
      sessionStartsAt: session.startsAt,
      sessionEndsAt: session.endsAt,
    });
    expect(elsewhere.body.error.message).toMatch(/Almaty time.*Almaty time.*Almaty time.*Almaty time/);

    // A correction naming a row the report does not have, or a registration that is not a
    // participant, is refused and nothing is written.
    const guestKey = preview.body.unmatched[0]!.key;
    const badCorrection = await importReport(training, { files, mode: 'apply', matches: { 'name:nobody': h, [guestKey]: 'not-a-registration' } });
    expect(badCorrection.status, badCorrection.text).toBe(400);
    expect(Object.keys(badCorrection.body.error.fields ?? {}).sort()).toEqual([`matches.${guestKey}`, 'matches.name:nobody']);
    expect((await sessionColumn(training)).map(([, status]) => status)).toEqual(['unmarked', 'unmarked', 'unmarked']);

    // The trainer says the guest was Һадия on someone's laptop, and applies.
    const applied = await importReport(training, { files, mode: 'apply', matches: { [guestKey]: h } });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.applied).toEqual({ written: 3, unchanged: 0 });
    expect(applied.body.marks.find((mark) => mark.registrationId === h)).toMatchObject({ minutes: 30, status: 'absent', matchedFrom: [{ by: 'manual' }] });
    expect(await sessionColumn(training)).toEqual([
      ['Әлия Ғалымжанқызы', 'present', 3],
      ['Дәурен Өтепов', 'present', 2.5],
      ['Һадия Үсенова', 'absent', 0],
    ]);

    const stored = await storedMark(training, d);
    expect(stored).toMatchObject({
      source: 'teams-report',
      status: 'present',
      minutes: 150,
      importedFrom: { kind: 'teams-report', files: [{ name: files[0]!.name, sha256: preview.body.files[0]!.sha256 }], reportMinutes: 150, matchedBy: ['name'] },
    });
    expect(typeof stored.recordedBy === 'string' && stored.recordedBy.length > 0).toBe(true);
    expect(Math.abs(Date.parse(String(stored.recordedAt)) - (start + 200 * MINUTE))).toBeLessThan(5 * MINUTE);

    // The same file again changes nothing; the preview now shows the marks it would replace.
    const again = await importReport(training, { files, mode: 'apply', matches: { [guestKey]: h } });
    expect(again.body.applied).toEqual({ written: 0, unchanged: 3 });
    expect(again.body.marks.find((mark) => mark.registrationId === a)?.current).toEqual({ status: 'present', minutes: 180, source: 'teams-report' });

    // Leaving a participant unchanged keeps the trainer's own mark.
    const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
      token: trainer,
      body: { records: [{ registrationId: h, status: 'present' }] },
    });
    expect(sheet.status, sheet.text).toBe(200);
    const kept = await importReport(training, { files, mode: 'apply', leaveUnchanged: [h] });
    expect(kept.body.applied).toEqual({ written: 0, unchanged: 2 });
    expect((await storedMark(training, h)).source).toBe('trainer');
  });

  it('joins the reports of a restarted meeting sent together, UTF-8 and UTF-16, and lists the rows it could not read', async () => {
    const training = await publishTraining(trainer, trainingBody());
    const aigul = await newPerson('Айгүл Оспанова');
    const g = await register(training, aigul);
    const session = training.sessions[0]!;
    const start = Date.parse(session.startsAt);
    await setClock(new Date(start + 200 * MINUTE));

    // Before the restart: day-first dates, re-saved as UTF-8.
    const dayFirst = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Almaty', year: '2-digit', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    const gb = (instant: number) => dayFirst.format(new Date(instant));
    const before = tsv([
      ['1. Summary'],
      ['Start time', gb(start - 5 * MINUTE)],
      ['End time', gb(start + 70 * MINUTE)],
      [],
      ['3. In-Meeting activities'],
      ['Name', 'Join time', 'Leave time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', gb(start), gb(start + 70 * MINUTE), '', aigul.email, 'Attendee'],
      ['Айгүл Оспанова', 'yesterday', gb(start + 70 * MINUTE), '', aigul.email, 'Attendee'],
    ]);
    // After the restart, the US form as Teams writes it.
    const after = reportFile(start + 80 * MINUTE, [
      { name: 'Айгүл Оспанова', email: aigul.email, role: 'Attendee', from: 0, to: 100 },
    ]);
    const files = [
      { name: 'before restart.csv', content: Buffer.from(utf8(before, true)).toString('base64') },
      { name: 'after restart.csv', content: Buffer.from(utf16WithBom(after)).toString('base64') },
    ];
    const applied = await importReport(training, { files, mode: 'apply' });
    expect(applied.status, applied.text).toBe(200);
    // 0–70 and 80–180 of a 180-minute session.
    expect(applied.body.marks).toEqual([expect.objectContaining({ registrationId: g, minutes: 170, status: 'present' })]);
    expect(applied.body.unreadable).toEqual([
      { file: 0, fileName: 'before restart.csv', line: 8, reason: 'unknown_time', value: 'yesterday', problem: expect.stringContaining('yesterday') as string },
    ]);
    expect(applied.body.applied).toEqual({ written: 1, unchanged: 0 });
    expect((await storedMark(training, g)).importedFrom).toMatchObject({ files: [{ name: 'before restart.csv' }, { name: 'after restart.csv' }], reportMinutes: 170 });
  });
});
