/**
 * The anonymity promise, attacked as a trainer and a coordinator would with the product's own API:
 * reading the summary, the roster and the attendance report after every single answer, answering
 * twice through a second registration, and reading the raw table afterwards.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_RESPONSES } from '../../shared/domain/feedback';
import type { Training } from '../../shared/schemas/training';
import { aggregateKeys, trainingKeys } from '../../shared/store/keys';
import {
  api,
  call,
  drainStreams,
  eventually,
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
} from '../support/api';
import { partitionItems, rawTableClient } from '../support/stack-table';

type Receipt = { registrationId: string; status: 'confirmed' | 'waitlisted' };
type Summary = {
  responses: number;
  confirmed: number;
  releasedAt: string | null;
  releaseReason: string | null;
  canCloseEarly: boolean;
  detailsHidden: boolean;
  hiddenReason: string | null;
  minimumResponses: number;
  ratings?: Record<string, { count: number; mean: number | null; distribution: Record<string, number> }>;
  answers?: Record<string, { total: number; withheld: boolean; items: string[]; nextCursor?: string }>;
  nonResponders?: { fullName: string; email: string }[];
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MIN = DEFAULT_MIN_RESPONSES;

let trainer: string;
let coordinator: string;
let dynamo: DynamoDBClient;

const lastStart = (training: Training) => Math.max(...training.sessions.map((session) => Date.parse(session.startsAt)));
const lastEnd = (training: Training) => Math.max(...training.sessions.map((session) => Date.parse(session.endsAt)));
const ratings = (overall: number) => ({ overall, relevance: 4, trainer: 5, materials: 3, recommend: 4 });

/** Registration stays open into the last session, as the attack needs (withdraw, register again). */
async function openTraining(capacity: number, overrides: Record<string, unknown> = {}, inDays = 20): Promise<Training> {
  const body = trainingBody({ capacity, ...overrides }, Date.now(), inDays);
  const lastSessionEnd = Math.max(...body.sessions.map((session) => Date.parse(session.endsAt)));
  return publishTraining(trainer, { ...body, registrationClosesAt: new Date(lastSessionEnd - 30 * MINUTE).toISOString() });
}

async function register(training: Training, who: Person): Promise<Receipt> {
  const response = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

const submit = (training: Training, who: Person, body: unknown) =>
  api<ErrorBody & { status: string }>('POST', `/api/trainings/${training.id}/feedback`, { token: who.token, body });
const summaryOf = (training: Training, token: string) => api<Summary & ErrorBody>('GET', `/api/trainings/${training.id}/feedback/summary`, { token });
const closeEarly = (training: Training, token: string) => api<Summary & ErrorBody>('POST', `/api/trainings/${training.id}/feedback/close`, { token });

const partition = (pk: string) => partitionItems(dynamo, pk);

beforeAll(async () => {
  dynamo = rawTableClient();
  [trainer, coordinator] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor({ email: `coord-anon-${Date.now()}@test.kz`, name: 'Нұрлан Қасымов', groups: ['coordinators'], region: 'almaty' }),
  ]);
});

afterAll(() => dynamo.destroy());

afterEach(async () => {
  await resetClock();
});

describe('reading after every answer', () => {
  it('shows counts only until the one release, so no sequence of reads pairs a name with an answer or a rating', async () => {
    const training = await openTraining(7);
    const people = await Promise.all(
      ['Айгүл Жұмабекқызы', 'Бауыржан Өмірзақов', 'Гүлмира Ісәкова', 'Дана Нұрланқызы', 'Ержан Қуанышұлы', 'Жанар Әлиева', 'Зарина Төлеуова'].map((name) =>
        newPerson(name),
      ),
    );
    for (const who of people) await register(training, who);
    await setClock(new Date(lastStart(training) + HOUR));

    const answers = people.map((who, index) => ({ influence: `Әсер ${index}: ${who.name.split(' ')[0]!.split('').reverse().join('')}`, change: `Өзгеріс №${index}` }));
    const readsBeforeRelease: string[] = [];
    async function readEverything(): Promise<void> {
      for (const [path, token] of [
        [`/api/trainings/${training.id}/feedback/summary`, trainer],
        [`/api/trainings/${training.id}/feedback/summary`, coordinator],
        [`/api/trainings/${training.id}/feedback/summary?format=csv`, trainer],
        [`/api/trainings/${training.id}/registrations`, trainer],
        [`/api/trainings/${training.id}/attendance`, coordinator],
        [`/api/trainings/${training.id}/attendance?format=csv`, trainer],
      ] as const) {
        const response = await api('GET', path, { token });
        expect(response.status, `${path}: ${response.text}`).toBe(200);
        readsBeforeRelease.push(response.text);
      }
    }

    // Four answers, one at a time, everything read after each.
    for (let index = 0; index < MIN - 1; index++) {
      expect((await submit(training, people[index]!, { ratings: ratings(5 - index), answers: answers[index] })).status).toBe(201);
      await readEverything();
      const summary = (await summaryOf(training, trainer)).body;
      expect(summary).toMatchObject({ responses: index + 1, releasedAt: null, detailsHidden: true, hiddenReason: 'not_released', canCloseEarly: false });
      expect(summary.ratings).toBeUndefined();
      expect(summary.answers).toBeUndefined();
    }
    // Too few to close early: 409 with the minimum.
    const early = await closeEarly(training, trainer);
    expect(early.status, early.text).toBe(409);
    expect(early.body.error.reason).toBe('feedback_below_minimum');
    expect((early.body.error as { details?: Record<string, string> }).details).toEqual({ minimum: String(MIN), responses: String(MIN - 1) });

    expect((await submit(training, people[MIN - 1]!, { ratings: ratings(2), answers: answers[MIN - 1] })).status).toBe(201);
    await readEverything();
    expect((await summaryOf(training, trainer)).body).toMatchObject({ responses: MIN, releasedAt: null, canCloseEarly: true });
    expect((await summaryOf(training, coordinator)).body.canCloseEarly).toBe(false);
    expect((await closeEarly(training, coordinator)).status).toBe(403);

    // Nothing read before the release held any answer, any rating figure or any mean.
    for (const text of readsBeforeRelease) {
      for (const answer of answers.slice(0, MIN)) {
        expect(text).not.toContain(answer.influence);
        expect(text).not.toContain(answer.change);
      }
      expect(text).not.toMatch(/"ratings"|"mean"|"distribution"/);
    }

    // The trainer closes the form early: the results are released, once.
    const released = await closeEarly(training, trainer);
    expect(released.status, released.text).toBe(200);
    expect(released.body).toMatchObject({ responses: MIN, releaseReason: 'closed_early', detailsHidden: false, canCloseEarly: false });
    expect(released.body.ratings!.overall).toEqual({ count: MIN, mean: 3.2, distribution: { 1: 0, 2: 2, 3: 1, 4: 1, 5: 1 } });
    expect(released.body.answers!.influence!.items).toHaveLength(MIN);
    expect(released.body.answers!.sustain).toEqual({ total: 0, withheld: false, items: [] });
    const again = await closeEarly(training, trainer);
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('feedback_released');

    // A later answer is refused, and nothing read afterwards ever changes: no diff to take.
    const late = await submit(training, people[MIN]!, { ratings: ratings(1), answers: { influence: 'Кеш жауап' } });
    expect(late.status, late.text).toBe(409);
    expect(late.body.error.reason).toBe('feedback_released');
    expect(late.body.error.message).toMatch(/no longer taken/);
    const form = await call('feedbackForm', `/api/trainings/${training.id}/feedback/form`);
    expect(form.body).toMatchObject({ open: false, releasedAt: released.body.releasedAt });
    const withoutNames = ({ nonResponders: _ignored, canCloseEarly: _also, ...rest }: Summary) => rest;
    const first = withoutNames((await summaryOf(training, trainer)).body);
    expect(first).toEqual(withoutNames(released.body));
    // A participant leaves, the window ends, the scheduled release runs: still the same figures.
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: people[6]!.token })).status).toBe(200);
    await setClock(new Date(lastEnd(training) + 31 * DAY));
    await runSchedule('reminders');
    expect(withoutNames((await summaryOf(training, trainer)).body)).toEqual(first);
    expect(withoutNames((await summaryOf(training, coordinator)).body)).toEqual(first);
    expect(JSON.stringify(first)).not.toContain('Кеш жауап');
  });
});

describe('one answer per person', () => {
  it('refuses a second answer after withdrawing and registering again', async () => {
    const training = await openTraining(10);
    const teacher = await newPerson('Асқар Бекұлы');
    await register(training, teacher);
    await setClock(new Date(lastStart(training) + HOUR));
    expect((await submit(training, teacher, { ratings: ratings(5) })).status).toBe(201);
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: teacher.token })).status).toBe(200);
    expect((await register(training, teacher)).status).toBe('confirmed');
    const second = await submit(training, teacher, { ratings: ratings(1) });
    expect(second.status, second.text).toBe(409);
    expect(second.body.error.reason).toBe('already_submitted');
    const responses = (await partition(trainingKeys.item(training.id).pk)).filter((item) => String(item.sk).startsWith('FEEDBACK#'));
    expect(responses).toHaveLength(1);
  });

  it('holds for any sequence of registering, withdrawing, answering and closing (property, on the stack)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: 1 }),
            // Weighted towards the attack: answer, withdraw, register again, answer again.
            action: fc.oneof(
              { arbitrary: fc.constant('answer' as const), weight: 3 },
              { arbitrary: fc.constant('rejoin' as const), weight: 3 },
              { arbitrary: fc.constant('withdraw' as const), weight: 1 },
              { arbitrary: fc.constant('register' as const), weight: 1 },
              { arbitrary: fc.constant('close' as const), weight: 1 },
            ),
          }),
          { minLength: 6, maxLength: 14 },
        ),
        async (steps) => {
          await resetClock();
          const training = await openTraining(10, {}, 40);
          const people = await Promise.all([newPerson('Бекзат Әміров'), newPerson('Гүлжан Мұратова')]);
          // Bystanders who never answer, so "everyone has answered" never releases early.
          const bystanders = await Promise.all([newPerson('Дина Серікова'), newPerson('Ерік Жанұзақов'), newPerson('Зәуре Әлібекова')]);
          for (const who of [...people, ...bystanders]) await register(training, who);
          await setClock(new Date(lastStart(training) + HOUR));
          const accepted = [0, 0];
          for (const step of steps) {
            const who = people[step.who]!;
            if (step.action === 'withdraw' || step.action === 'rejoin') {
              expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: who.token })).status).toBeLessThan(500);
            }
            if (step.action === 'register' || step.action === 'rejoin') {
              expect((await api('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } })).status).toBeLessThan(500);
            } else if (step.action === 'answer') {
              const response = await submit(training, who, { ratings: ratings(4) });
              expect(response.status, response.text).toBeLessThan(500);
              if (response.status === 201) accepted[step.who]! += 1;
            } else if (step.action === 'close') {
              expect((await closeEarly(training, trainer)).status).toBeLessThan(500);
            }
          }
          const responses = (await partition(trainingKeys.item(training.id).pk)).filter((item) => String(item.sk).startsWith('FEEDBACK#'));
          expect(accepted.every((count) => count <= 1)).toBe(true);
          expect(responses).toHaveLength(accepted[0]! + accepted[1]!);
        },
      ),
      { numRuns: 12, seed: 20261201 },
    );
  });
});

describe('releases that happen by themselves', () => {
  it('releases when every confirmed participant has answered — below the minimum as counts only', async () => {
    const training = await openTraining(3);
    const people = await Promise.all(['Әсем Қалиева', 'Бекарыс Төлеуов', 'Ғалия Сәрсенова'].map((name) => newPerson(name)));
    for (const who of people) await register(training, who);
    await setClock(new Date(lastStart(training) + HOUR));
    for (const who of people) expect((await submit(training, who, { ratings: ratings(5), answers: { influence: `Жауап ${who.name}` } })).status).toBe(201);
    const summary = (await summaryOf(training, trainer)).body;
    expect(summary).toMatchObject({ responses: 3, confirmed: 3, releaseReason: 'all_answered', detailsHidden: true, hiddenReason: 'below_minimum' });
    expect(JSON.stringify(summary)).not.toContain('Жауап');
    expect(summary.ratings).toBeUndefined();
  });

  it('releases when the window ends: by the scheduled run, or by the first read after it', async () => {
    const [byRun, byRead] = await Promise.all([openTraining(5, {}, 60), openTraining(5, {}, 60)]);
    const people = await Promise.all(['Дәулет Оспанов', 'Еркежан Бақытова'].map((name) => newPerson(name)));
    for (const training of [byRun, byRead]) {
      for (const who of people) await register(training, who);
    }
    await setClock(new Date(lastStart(byRun) + HOUR));
    for (const training of [byRun, byRead]) expect((await submit(training, people[0]!, { ratings: ratings(4) })).status).toBe(201);
    await setClock(new Date(lastEnd(byRun) + 30 * DAY + MINUTE));
    const runs = (await Promise.all([runSchedule('reminders'), runSchedule('reminders')])) as { feedbackReleased: number }[];
    expect(runs.reduce((sum, run) => sum + run.feedbackReleased, 0)).toBeGreaterThanOrEqual(1);
    expect((await summaryOf(byRun, coordinator)).body).toMatchObject({ responses: 1, releaseReason: 'window_ended', hiddenReason: 'below_minimum' });
    expect((await summaryOf(byRead, trainer)).body).toMatchObject({ responses: 1, releaseReason: 'window_ended' });
    const late = await submit(byRead, people[1]!, { ratings: ratings(4) });
    expect(late.status).toBe(409);
    expect(late.body.error.reason).toBe('feedback_closed');
  });
});

describe('closing early lifts the feedback requirement', () => {
  it('issues the certificate of a participant who had not answered when the trainer closed the form early', async () => {
    const training = await openTraining(MIN + 1, { feedbackRequired: true });
    const people = await Promise.all(Array.from({ length: MIN + 1 }, (_, index) => newPerson(`Қатысушы ${'ӘҒҚҢӨҰҮҺІ'[index]}`)));
    const receipts: Receipt[] = [];
    for (const who of people) receipts.push(await register(training, who));
    for (const session of training.sessions) {
      await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
      const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
        token: trainer,
        body: { records: receipts.map((receipt) => ({ registrationId: receipt.registrationId, status: 'present' })) },
      });
      expect(sheet.status, sheet.text).toBe(200);
    }
    await setClock(new Date(lastEnd(training) + HOUR));
    for (const who of people.slice(0, MIN)) expect((await submit(training, who, { ratings: ratings(4) })).status).toBe(201);
    expect((await api('POST', `/api/trainings/${training.id}/close`, { token: trainer })).status).toBe(200);
    const silent = people[MIN]!;
    type Issuance = { items: { registrationId: string; outcome: string }[] };
    const outcomeOf = async () =>
      (await api<Issuance>('GET', `/api/trainings/${training.id}/issuance`, { token: trainer })).body.items.find((item) => item.registrationId === receipts[MIN]!.registrationId)?.outcome;
    await eventually(async () => ((await outcomeOf()) === 'not-completed' ? true : undefined), { timeoutMs: 30_000, what: 'the silent participant not completed' });

    expect((await closeEarly(training, trainer)).status).toBe(200);
    await eventually(async () => ((await outcomeOf()) === 'issued' ? true : undefined), { timeoutMs: 30_000, what: 'certificate after the early close' });
    const mine = await call('myCertificates', '/api/me/certificates', { token: silent.token });
    expect(mine.body.items.map((item) => item.trainingId)).toContain(training.id);
  });
});

describe('what the table keeps', () => {
  it('holds no rating, order or time per response: not in responses, marks, markers or aggregates', async () => {
    const training = await openTraining(MIN);
    const people = await Promise.all(Array.from({ length: MIN }, (_, index) => newPerson(`Жауап беруші ${index}`)));
    for (const who of people) await register(training, who);
    await setClock(new Date(lastStart(training) + HOUR));
    for (const [index, who] of people.entries()) expect((await submit(training, who, { ratings: ratings(1 + (index % 5)) })).status).toBe(201);
    await drainStreams();

    const items = await partition(trainingKeys.item(training.id).pk);
    const responses = items.filter((item) => String(item.sk).startsWith('FEEDBACK#'));
    expect(responses).toHaveLength(MIN);
    const marks = items.filter((item) => item.type === 'FeedbackGiven');
    expect(marks).toHaveLength(2 * MIN);
    for (const item of [...responses, ...marks]) expect(JSON.stringify(item), 'no timestamp').not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    for (const mark of marks) expect(Object.keys(mark).sort()).toEqual(['pk', 'sk', 'trainingId', 'type']);
    // Random keys: their order says nothing of the order of arrival (checked over many runs by their
    // generator; here, that none is derived from a time or a counter).
    for (const response of responses) expect(String(response.sk)).toMatch(/^FEEDBACK#[A-Za-z0-9_-]{12}$/);

    const state = items.find((item) => item.sk === 'FEEDBACKSTATE')!;
    expect(state).toMatchObject({ responses: MIN, releaseReason: 'all_answered', ratingsReleased: true });

    const markers = await partition(aggregateKeys.source(trainingKeys.item(training.id).pk, '').pk);
    expect(markers.filter((marker) => String(marker.sk).startsWith('FEEDBACK'))).toEqual([
      { pk: `AGGSRC#${trainingKeys.item(training.id).pk}`, sk: 'FEEDBACKSTATE', type: 'AggregateSource', once: true },
    ]);
    // Region aggregates hold released blocks only: every rating count is none or at least the minimum.
    const regionItems = await partition(aggregateKeys.regionPartition('almaty'));
    for (const item of regionItems) {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith('ratingCount|') && typeof value === 'number') expect(value === 0 || value >= MIN, `${String(item.sk)} ${name}`).toBe(true);
      }
    }
  });
});
