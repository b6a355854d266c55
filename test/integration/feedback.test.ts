import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { subjectFor } from '../../local/tokens';
import type { Training } from '../../shared/schemas/training';
import { registrationKeys, trainingKeys } from '../../shared/store/keys';
import {
  api,
  call,
  drainStreams,
  emailsTo,
  newPerson,
  publishTraining,
  resetClock,
  runSchedule,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
  type ErrorBody,
  type Person,
  type StoredEmail,
} from '../support/api';
import { partitionItems as itemsOfPartition, rawTableClient } from '../support/stack-table';

type Receipt = { registrationId: string; status: 'confirmed' | 'waitlisted' };
type RatingSummary = { count: number; mean: number | null; distribution: Record<string, number> };
type Summary = {
  responses: number;
  confirmed: number;
  responseRate: number | null;
  detailsHidden: boolean;
  releasedAt: string | null;
  canCloseEarly: boolean;
  ratings?: Record<string, RatingSummary>;
  answers?: Record<string, { total: number; withheld: boolean; items: string[]; nextCursor?: string }>;
  nonResponders?: { fullName: string; email: string }[];
};
type Form = {
  title: string;
  open: boolean;
  window: { opensAt: string; closesAt: string };
  questions: { id: string; text: string }[];
  ratings: { id: string; label: string }[];
};
type RunResult = { trainings: number; sent: Record<string, number>; inFlight: number; failed: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;


let trainer: string;
let otherTrainer: string;
let admin: string;
let coordinator: string;
let otherCoordinator: string;
let dynamo: DynamoDBClient;

const person = (name: string, groups: ('teachers' | 'trainers')[] = ['teachers']) => newPerson(name, groups);

/** Sessions `inDays` from now: tests far apart in time never make each other's reminders due. */
function publishedTraining(overrides: Record<string, unknown> = {}, inDays = 10): Promise<Training> {
  return publishTraining(trainer, trainingBody(overrides, Date.now(), inDays));
}

async function register(training: Training, who: Person, preferredLanguage?: 'kk' | 'ru' | 'en'): Promise<Receipt> {
  const response = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, {
    token: who.token,
    body: { fullName: who.name, ...(preferredLanguage ? { preferredLanguage } : {}) },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

const lastStart = (training: Training) => Math.max(...training.sessions.map((session) => Date.parse(session.startsAt)));
const lastEnd = (training: Training) => Math.max(...training.sessions.map((session) => Date.parse(session.endsAt)));
const firstStart = (training: Training) => Math.min(...training.sessions.map((session) => Date.parse(session.startsAt)));

function ratings(overall: number, rest = 4) {
  return { overall, relevance: rest, trainer: rest, materials: rest, recommend: rest };
}

function submit(training: Training, who: Person, body: unknown) {
  return api<ErrorBody & { status: string }>('POST', `/api/trainings/${training.id}/feedback`, { token: who.token, body });
}

async function expectRejected(response: Promise<{ status: number; body: ErrorBody; text: string }>, status: number, reason?: string) {
  const { status: actual, body, text } = await response;
  expect(actual, text).toBe(status);
  if (reason) expect(body.error.reason, text).toBe(reason);
  return body.error.message;
}

function summary(training: Training, token: string, query = '') {
  return api<Summary & ErrorBody>('GET', `/api/trainings/${training.id}/feedback/summary${query}`, { token });
}

async function download(training: Training, token: string, query: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${inject('apiUrl')}/api/trainings/${training.id}/feedback/summary${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function partitionItems(training: Training): Promise<Record<string, unknown>[]> {
  return itemsOfPartition(dynamo, trainingKeys.item(training.id).pk);
}


/** The email body as text (the emulator keeps it as sent: base64 parts decoded). */
function textOf(email: StoredEmail): string {
  return email.body.text ?? '';
}

beforeAll(async () => {
  dynamo = rawTableClient();
  [trainer, otherTrainer, admin, coordinator, otherCoordinator] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor(uniqueAccount('trainers', 'Бақыт Сейітов')),
    tokenFor(uniqueAccount('admins', 'Әсел Әкімова')),
    tokenFor({ email: `coord-${Date.now()}@test.kz`, name: 'Нұрлан Қасымов', groups: ['coordinators'], region: 'almaty' }),
    tokenFor({ email: `coord-astana-${Date.now()}@test.kz`, name: 'Гүлнар Оспанова', groups: ['coordinators'], region: 'astana' }),
  ]);
});

afterAll(() => dynamo.destroy());

afterEach(async () => {
  await resetClock();
});

describe('giving feedback through the gateway', () => {
  it('takes a confirmed participant’s feedback once, inside the window only, and stores no identity with it', async () => {
    const training = await publishedTraining({ capacity: 2 });
    const [aliya, daulet, waiting, stranger] = await Promise.all([
      person('Әлия Ғалымжанқызы'),
      person('Дәулет Өтегенұлы'),
      person('Іңкәр Үсенова'),
      person('Сәуле Қайратқызы'),
    ]);
    const aliyaReceipt = await register(training, aliya);
    await register(training, daulet);
    expect((await register(training, waiting)).status).toBe('waitlisted');
    const body = {
      ratings: ratings(5),
      answers: { influence: '  Көшбасшылық дағдыларым күшейді: әріптестерге ашық сабақ өткіздім.  ', unique: 'Ғылыми-зерттеу тәсілі', change: '' },
    };

    // The form is public, in the language asked, and says when feedback is taken.
    const form = await api<Form>('GET', `/api/trainings/${training.id}/feedback/form?lang=kk`);
    expect(form.status, form.text).toBe(200);
    expect(form.body).toMatchObject({ title: 'Көшбасшылық және өзгеріс', open: false });
    expect(form.body.window.opensAt).toBe(new Date(lastStart(training)).toISOString());
    expect(form.body.window.closesAt).toBe(new Date(lastEnd(training) + 30 * DAY).toISOString());
    expect(form.body.questions.map((question) => question.id)).toEqual(['influence', 'change', 'sustain', 'benefits', 'challenges', 'unique']);
    expect(form.body.questions[0]!.text).toBe('Оқыту сіздің көшбасшылық дағдыларыңыз бен тәжірибеңізге қалай әсер етті?');
    expect((await api<Form>('GET', `/api/trainings/${training.id}/feedback/form?lang=ru`)).body.ratings[0]!.label).toBe('Общая оценка обучения');
    expect((await api('GET', `/api/trainings/${training.id}/feedback/form?lang=de`)).status).toBe(400);

    // Before the last session starts.
    await setClock(new Date(lastStart(training) - HOUR));
    expect(await expectRejected(submit(training, aliya, body), 409, 'feedback_not_open')).toMatch(/opens when the last session starts/);

    await setClock(new Date(lastStart(training) + HOUR));
    expect((await api<Form>('GET', `/api/trainings/${training.id}/feedback/form`)).body.open).toBe(true);
    await drainStreams();
    const emailsBefore = (await emailsTo(aliya.email)).length;
    expect(emailsBefore).toBe(1);

    // Field-level problems first; nothing is stored for them.
    const invalid = await submit(training, aliya, { ratings: { ...ratings(5), overall: 6, trainer: undefined }, answers: { mood: 'x' } });
    expect(invalid.status, invalid.text).toBe(400);
    expect(Object.keys(invalid.body.error.fields ?? {}).sort()).toEqual(['answers', 'ratings.overall', 'ratings.trainer']);

    const accepted = await submit(training, aliya, body);
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body).toEqual({ trainingId: training.id, status: 'submitted' });
    expect(await expectRejected(submit(training, aliya, body), 409, 'already_submitted')).toMatch(/already sent your feedback/);

    // Only confirmed participants, and only teachers.
    expect(await expectRejected(submit(training, waiting, body), 403)).toMatch(/waiting list/);
    expect(await expectRejected(submit(training, stranger, body), 403)).toMatch(/no registration/);
    await expectRejected(api('POST', `/api/trainings/${training.id}/feedback`, { token: trainer, body }), 403);
    expect((await api('POST', `/api/trainings/${training.id}/feedback`, { body })).status).toBe(401);
    await expectRejected(api('POST', '/api/trainings/no-such-training/feedback', { token: aliya.token, body }), 404);

    // The response holds the training, the ratings and the answers — and nothing that leads to Әлия.
    const items = await partitionItems(training);
    const responses = items.filter((item) => String(item.sk).startsWith('FEEDBACK#'));
    expect(responses).toHaveLength(1);
    const [stored] = responses;
    expect(Object.keys(stored!).sort()).toEqual(['answers', 'pk', 'ratings', 'sk', 'trainingId', 'type']);
    expect(stored).toMatchObject({
      type: 'FeedbackResponse',
      trainingId: training.id,
      ratings: ratings(5),
      answers: { influence: 'Көшбасшылық дағдыларым күшейді: әріптестерге ашық сабақ өткіздім.', unique: 'Ғылыми-зерттеу тәсілі' },
    });
    const storedText = JSON.stringify(stored);
    for (const identity of [aliya.email, subjectFor(aliya.email), aliyaReceipt.registrationId, aliya.name, 'Әлия']) {
      expect(storedText, `the response must not contain ${identity}`).not.toContain(identity);
    }
    expect(storedText, 'no timestamp to join on').not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    // The flag lives on the registration; it carries no reference to the response.
    const registration = items.find((item) => item.sk === registrationKeys.item(training.id, aliya.email).sk)!;
    expect(typeof registration.feedbackSubmittedAt).toBe('string');
    expect(JSON.stringify(registration)).not.toContain(String(stored!.sk).slice('FEEDBACK#'.length));

    // The stream's MODIFY of the registration sends no email.
    await drainStreams();
    expect((await emailsTo(aliya.email)).length).toBe(emailsBefore);

    // After 30 days past the end the form closes.
    await setClock(new Date(lastEnd(training) + 30 * DAY));
    expect(await expectRejected(submit(training, daulet, body), 409, 'feedback_closed')).toMatch(/closed on/);
  });

  it('stores one response when the same person sends twice at once', async () => {
    const training = await publishedTraining();
    const teacher = await person('Асқар Бекұлы');
    await register(training, teacher);
    await setClock(new Date(lastEnd(training) + HOUR));
    const body = { ratings: ratings(4), answers: { benefits: 'Жаңа әдістер' } };
    const results = await Promise.all([submit(training, teacher, body), submit(training, teacher, body), submit(training, teacher, body)]);
    expect(results.map((result) => result.status).sort()).toEqual([201, 409, 409]);
    expect(results.filter((result) => result.status === 409).map((result) => result.body.error.reason)).toEqual(['already_submitted', 'already_submitted']);
    const stored = (await partitionItems(training)).filter((item) => String(item.sk).startsWith('FEEDBACK#'));
    expect(stored).toHaveLength(1);
  });

  it('takes no feedback on a cancelled training', async () => {
    const training = await publishedTraining();
    const teacher = await person('Мария Ким');
    await register(training, teacher);
    expect((await api('POST', `/api/trainings/${training.id}/cancel`, { token: trainer, body: {} })).status).toBe(200);
    await setClock(new Date(lastStart(training) + HOUR));
    await expectRejected(submit(training, teacher, { ratings: ratings(4) }), 409, 'cancelled');
  });
});

describe('the feedback summary', () => {
  it('shows only counts until the trainer closes the form early, then distributions, means and answers by question — as JSON, CSV and XLSX', async () => {
    const training = await publishedTraining({ capacity: 6 });
    const people = await Promise.all(
      ['Айгүл Жұмабекқызы', 'Бауыржан Өмірзақов', 'Гүлмира Ісәкова', 'Дана Нұрланқызы', 'Ержан Қуанышұлы', 'Жібек Сапарова'].map((name) => person(name)),
    );
    for (const who of people) await register(training, who);
    await setClock(new Date(lastStart(training) + HOUR));

    const answers = [
      { influence: 'Сабақты зерттеу арқылы көшбасшы болуды үйрендім', challenges: 'Уақыт аз болды; үй тапсырмасын азайту керек' },
      { influence: 'Әріптестеріммен бірге жоспарлай бастадым', benefits: 'Оқушылардың белсенділігі артты' },
      { influence: 'Өзіме сенімім артты', unique: '«Мұғалім — көшбасшы» идеясы' },
      { influence: 'Ашық сабақтар өткіздім' },
      { influence: 'Зерттеу тобын құрдық' },
    ];
    const given = [ratings(5, 5), ratings(4, 3), ratings(2, 4), ratings(4, 4), ratings(3, 5)];
    for (let index = 0; index < 2; index++) {
      expect((await submit(training, people[index]!, { ratings: given[index], answers: answers[index] })).status).toBe(201);
    }

    // Before release: the count only, for everyone and in every format.
    const few = await summary(training, trainer);
    expect(few.status, few.text).toBe(200);
    expect(few.body).toMatchObject({ responses: 2, confirmed: 6, responseRate: 0.333, detailsHidden: true, releasedAt: null });
    expect(few.body.ratings).toBeUndefined();
    expect(few.body.answers).toBeUndefined();
    expect(few.text).not.toContain('Әріптестеріммен');
    // The trainer sees who has not answered, to remind them; the coordinator does not.
    expect(few.body.nonResponders?.map((row) => row.fullName)).toEqual(['Гүлмира Ісәкова', 'Дана Нұрланқызы', 'Ержан Қуанышұлы', 'Жібек Сапарова']);
    const coordinatorView = await summary(training, coordinator);
    expect(coordinatorView.status, coordinatorView.text).toBe(200);
    expect(coordinatorView.body.nonResponders).toBeUndefined();
    const fewCsv = await download(training, trainer, '?format=csv');
    const fewRows: string[][] = parse(fewCsv.bytes, { bom: true, delimiter: ';', relax_column_count: true });
    expect(fewRows.slice(1, 3)).toEqual([
      ['Жауап бергендер', '2'],
      ['Расталған қатысушылар', '6'],
    ]);
    expect(fewCsv.bytes.toString('utf8')).not.toContain('Әріптестеріммен');
    const fewBook = new ExcelJS.Workbook();
    await fewBook.xlsx.load(arrayBufferOf((await download(training, trainer, '?format=xlsx')).bytes));
    expect(fewBook.worksheets.map((sheet) => sheet.name)).toEqual(['Жиынтық']);

    // Who may read it.
    await expectRejected(summary(training, otherTrainer), 403);
    await expectRejected(summary(training, otherCoordinator), 403);
    await expectRejected(summary(training, people[0]!.token), 403);

    for (let index = 2; index < 5; index++) {
      expect((await submit(training, people[index]!, { ratings: given[index], answers: answers[index] })).status).toBe(201);
    }
    expect((await summary(training, trainer)).body).toMatchObject({ responses: 5, detailsHidden: true, canCloseEarly: true });
    const closed = await api<Summary & ErrorBody>('POST', `/api/trainings/${training.id}/feedback/close`, { token: trainer });
    expect(closed.status, closed.text).toBe(200);

    const full = await summary(training, trainer);
    expect(full.body).toMatchObject({ responses: 5, confirmed: 6, responseRate: 0.833, detailsHidden: false });
    expect(full.body.ratings!.overall).toEqual({ count: 5, mean: 3.6, distribution: { 1: 0, 2: 1, 3: 1, 4: 2, 5: 1 } });
    expect(full.body.ratings!.trainer).toEqual({ count: 5, mean: 4.2, distribution: { 1: 0, 2: 0, 3: 1, 4: 2, 5: 2 } });
    expect(full.body.answers!.influence).toEqual({
      total: 5,
      withheld: false,
      items: ['Ашық сабақтар өткіздім', 'Әріптестеріммен бірге жоспарлай бастадым', 'Зерттеу тобын құрдық', 'Өзіме сенімім артты', 'Сабақты зерттеу арқылы көшбасшы болуды үйрендім'],
    });
    // One answer to a question is someone's own: its count only.
    expect(full.body.answers!.benefits).toEqual({ total: 1, withheld: true, items: [] });
    expect(full.body.answers!.sustain).toEqual({ total: 0, withheld: false, items: [] });
    expect(full.text).not.toContain('Оқушылардың белсенділігі');
    expect(full.body.nonResponders?.map((row) => row.fullName)).toEqual(['Жібек Сапарова']);
    expect((await summary(training, admin)).body.nonResponders).toHaveLength(1);
    expect((await summary(training, coordinator)).body).toMatchObject({ responses: 5, detailsHidden: false });

    // CSV: UTF-8 with a BOM, read back with the Kazakh text intact and no names in it.
    const csv = await download(training, coordinator, '?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="feedback-${training.id}.csv"`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(csv.bytes, { bom: true, delimiter: ';', relax_column_count: true });
    expect(rows[0]).toEqual(['Оқыту', 'Көшбасшылық және өзгеріс']);
    expect(rows).toContainEqual(['Оқытуға жалпы бағаңыз', '5', '3,6', '0', '1', '1', '2', '1']);
    expect(rows).toContainEqual(['Оқыту сіздің көшбасшылық дағдыларыңыз бен тәжірибеңізге қалай әсер етті?', 'Өзіме сенімім артты']);
    expect(csv.bytes.toString('utf8')).not.toContain('Уақыт аз болды');
    expect(csv.bytes.toString('utf8')).not.toContain('Жібек');

    // XLSX in Russian headings, the Kazakh answers intact.
    const xlsx = await download(training, trainer, '?format=xlsx&lang=ru');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(arrayBufferOf(xlsx.bytes));
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Сводка', 'Оценки', 'Ответы']);
    expect(book.getWorksheet('Сводка')!.getRow(2).values).toEqual([undefined, 'Ответили', 5]);
    expect(book.getWorksheet('Оценки')!.getRow(2).values).toEqual([undefined, 'Общая оценка обучения', 5, 3.6, 0, 1, 1, 2, 1]);
    const answerRows = book.getWorksheet('Ответы')!.getSheetValues().slice(2) as unknown[][];
    expect(answerRows.map((row) => row.slice(1))).toContainEqual([
      'Как обучение повлияло на ваши лидерские навыки и опыт?',
      'Сабақты зерттеу арқылы көшбасшы болуды үйрендім',
    ]);
    expect(JSON.stringify(answerRows)).not.toContain('Жібек');
  });

  it('pages long answers in the JSON and carries all of them in the file', async () => {
    const count = 24;
    // Far from the near-term public list that other files page through.
    const training = await publishedTraining({ capacity: count }, 300);
    const people = await Promise.all(Array.from({ length: count }, (_, index) => person(`Ұзақ жауап ${index}`)));
    for (const who of people) await register(training, who);
    await setClock(new Date(lastStart(training) + HOUR));
    // 24 answers of 5,000 characters: more than one page of the summary's 100,000 characters.
    const long = (index: number) => `${String.fromCharCode(0x0410 + index)}${'ә'.repeat(4_999)}`;
    for (const [index, who] of people.entries()) {
      expect((await submit(training, who, { ratings: ratings(4), answers: { sustain: long(index) } })).status).toBe(201);
    }
    const released = await summary(training, trainer);
    expect(released.body).toMatchObject({ releaseReason: 'all_answered', detailsHidden: false });
    const page = released.body.answers!.sustain!;
    expect(page.total).toBe(count);
    expect(page.items.length).toBeLessThan(count);
    expect(page.nextCursor).toBeDefined();
    expect(released.text.length).toBeLessThan(1_000_000);
    const collected = [...page.items];
    let cursor = page.nextCursor;
    while (cursor) {
      const next = await call('feedbackAnswers', `/api/trainings/${training.id}/feedback/answers?question=sustain&cursor=${cursor}`, { token: trainer });
      expect(next.status, next.text).toBe(200);
      collected.push(...next.body.items);
      cursor = 'nextCursor' in next.body ? next.body.nextCursor : undefined;
    }
    expect(collected).toHaveLength(count);
    expect(new Set(collected).size).toBe(count);
    // A cursor is sealed to its question and its caller; one of another question, another
    // caller's, or one crafted by hand, is refused as bad input.
    const sealed = page.nextCursor!;
    for (const [question, token] of [['change', trainer], ['sustain', coordinator]] as const) {
      const misused = await api<ErrorBody>('GET', `/api/trainings/${training.id}/feedback/answers?question=${question}&cursor=${sealed}`, { token });
      expect(misused.status, misused.text).toBe(400);
      expect(misused.body.error.reason).toBe('invalid_cursor');
    }
    expect((await api('GET', `/api/trainings/${training.id}/feedback/answers?question=sustain&cursor=${Buffer.from(JSON.stringify({ q: 'sustain', o: 1 })).toString('base64url')}`, { token: trainer })).status).toBe(400);
    expect((await api('GET', `/api/trainings/${training.id}/feedback/answers?question=sustain&cursor=garbage`, { token: trainer })).status).toBe(400);
    expect((await api('GET', `/api/trainings/${training.id}/feedback/answers?question=sustain`, { token: otherTrainer })).status).toBe(403);
    const csv = await download(training, trainer, '?format=csv');
    const rows: string[][] = parse(csv.bytes, { bom: true, delimiter: ';', relax_column_count: true });
    expect(rows.filter((row) => row[1]?.endsWith('ә'.repeat(100)))).toHaveLength(count);
  });
});

describe('reminders', () => {
  it('sends each reminder exactly once, to the right people, even when the scheduler fires twice', async () => {
    // Far from every other test's trainings, so only this one has reminders due at these times.
    const training = await publishedTraining({ capacity: 3, feedbackRequired: true }, 400);
    const [aigerim, boris, chloe, waiting] = await Promise.all([
      person('Айгерім Сәрсенова'),
      person('Борис Ли'),
      person('Chloe Nurlanovna'),
      person('Дархан Әлиев'),
    ]);
    await register(training, aigerim, 'kk');
    await register(training, boris, 'ru');
    await register(training, chloe, 'en');
    expect((await register(training, waiting)).status).toBe('waitlisted');
    const participants = [aigerim, boris, chloe];
    const startsSoon = /Еске салу: «.+» оқытуы жақында басталады|Напоминание: скоро начинается|Reminder: “.+” starts soon/;
    const askFeedback = /пікіріңізді|отзыв|feedback/i;

    async function fireTwice(): Promise<RunResult[]> {
      // Two at once (EventBridge may deliver a tick twice), then once more on the next tick.
      const concurrent = (await Promise.all([runSchedule('reminders'), runSchedule('reminders')])) as RunResult[];
      return [...concurrent, (await runSchedule('reminders')) as RunResult];
    }
    const total = (results: RunResult[], kind: string) => results.reduce((sum, result) => sum + (result.sent[kind] ?? 0), 0);

    // Not yet: 25 hours before the first session.
    await setClock(new Date(firstStart(training) - 25 * HOUR));
    expect(total(await fireTwice(), 'training-starts')).toBe(0);

    // 23 hours before: every confirmed participant, once, in their language.
    await setClock(new Date(firstStart(training) - 23 * HOUR));
    const startRuns = await fireTwice();
    expect(total(startRuns, 'training-starts')).toBe(3);
    expect(startRuns.every((result) => result.failed === 0)).toBe(true);
    for (const who of participants) expect(await emailsTo(who.email, startsSoon), who.name).toHaveLength(1);
    expect(await emailsTo(waiting.email, startsSoon)).toHaveLength(0);
    const [kkStart] = await emailsTo(aigerim.email, startsSoon);
    expect(kkStart!.subject).toBe('Еске салу: «Көшбасшылық және өзгеріс» оқытуы жақында басталады');
    expect(textOf(kkStart!)).toContain('Алматы, №12 мектеп');

    // Айгерім answers on the last day; the others do not.
    await setClock(new Date(lastStart(training) + HOUR));
    expect((await submit(training, aigerim, { ratings: ratings(5) })).status).toBe(201);

    // 1 day after the end: those who have not answered, once.
    await setClock(new Date(lastEnd(training) + DAY + MINUTE));
    expect(total(await fireTwice(), 'feedback-day-1')).toBe(2);
    expect(await emailsTo(aigerim.email, askFeedback)).toHaveLength(0);
    const [ruFirst] = await emailsTo(boris.email, askFeedback);
    expect(ruFirst!.subject).toBe('Поделитесь отзывом об обучении «Leadership and change»');
    expect(textOf(ruFirst!)).toContain(`/trainings/${training.id}/feedback`);
    expect(await emailsTo(chloe.email, /^Please share your feedback on “Leadership and change”$/)).toHaveLength(1);

    // Борис answers; at 7 days only Chloe is reminded again, once, and nobody after that.
    await setClock(new Date(lastEnd(training) + 2 * DAY));
    expect((await submit(training, boris, { ratings: ratings(3) })).status).toBe(201);
    await setClock(new Date(lastEnd(training) + 7 * DAY + MINUTE));
    expect(total(await fireTwice(), 'feedback-day-7')).toBe(1);
    await setClock(new Date(lastEnd(training) + 8 * DAY));
    const later = await fireTwice();
    expect(total(later, 'feedback-day-1') + total(later, 'feedback-day-7')).toBe(0);

    expect(await emailsTo(chloe.email, askFeedback)).toHaveLength(2);
    expect((await emailsTo(chloe.email, /^Reminder: your feedback on “Leadership and change”$/))).toHaveLength(1);
    expect(await emailsTo(boris.email, askFeedback)).toHaveLength(1);
    expect(await emailsTo(aigerim.email, askFeedback)).toHaveLength(0);
    expect(await emailsTo(waiting.email, askFeedback)).toHaveLength(0);
  });
});
