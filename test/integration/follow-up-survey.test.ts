/**
 * The follow-up impact survey on the local stack, with the clock moved: invited 3 months after
 * the certificate, reminded once a week later, closed 30 days after the invitation, each email
 * once however often the schedule ticks; a revoked certificate gets nothing. The anonymity promise
 * attacked as a coordinator would (reads before and after the release, the raw table), and the
 * named candidates for the next level kept to the coordinator's region.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_RESPONSES } from '../../shared/domain/feedback';
import type { Training } from '../../shared/schemas/training';
import { aggregateKeys, surveyKeys } from '../../shared/store/keys';
import {
  accounts,
  api,
  emailsTo,
  type ErrorBody,
  eventually,
  newPerson,
  type Person,
  publishTraining,
  resetClock,
  runSchedule,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
} from '../support/api';
import { completeTraining } from '../support/complete-training';
import { partitionItems, rawTableClient } from '../support/stack-table';

const MINUTE = 60_000;
const DAY = 86_400_000;
type MyCertificate = { id: string; trainingId: string; number: string; status: string; issuedAt: string };
type SurveyView = { surveyId: string; open: boolean; answered: boolean; closesAt: string; releasedAt: string | null; optIn: { offered: boolean; wouldTrain: boolean } };
type Metrics = { invited: number; responses: number; responseRate: number | null; applicationRate: number | null; colleaguesReached: number; candidates: number };
type Report = { totals: Metrics; byLevel: { level: number; metrics: Metrics }[]; byMonth: { month: string; metrics: Metrics }[] };
type Candidates = { regions: string[]; items: { email: string; fullName: string; certificateNumber: string; nextLevel: number }[] };

const INVITE = /ай өтті — бір сауалнама|мес\. после обучения|months after “/;
const REMINDER = /^(Еске салу|Напоминание|Reminder): /;

let trainer: string;
let admin: string;
let coordinator: string;
let otherCoordinator: string;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  trainer = await tokenFor(uniqueAccount('trainers', 'Сәуле Оспанова'));
  admin = await tokenFor(accounts.admin);
  coordinator = await tokenFor(accounts.coordinator);
  otherCoordinator = await tokenFor({ email: `coordinator-survey-${Date.now()}@test.kz`, name: 'Дана Әлиева', groups: ['coordinators'], region: 'astana' });
  dynamo = rawTableClient();
});

afterAll(() => dynamo.destroy());

afterEach(async () => {
  await resetClock();
});

/** Registers each participant, marks them present, gives feedback and closes the one-session training. */
async function certify(people: { person: Person; language?: 'kk' | 'ru' | 'en' }[]): Promise<{ training: Training; certificates: Map<string, MyCertificate> }> {
  // Far enough ahead that no other test of the shared stack certifies anyone in its month: the report
  // figures compared below are the month's, region's and level's, not this training's alone.
  const body = trainingBody({ capacity: people.length + 2 }, Date.now(), 230);
  const training = await publishTraining(trainer, { ...body, sessions: [body.sessions[0]] });
  await completeTraining(training, trainer, people);
  const certificates = new Map<string, MyCertificate>();
  for (const { person } of people) {
    certificates.set(
      person.email,
      await eventually(
        async () =>
          (await api<{ items: MyCertificate[] }>('GET', '/api/me/certificates', { token: person.token })).body.items.find((item) => item.trainingId === training.id),
        { timeoutMs: 30_000, what: 'certificate issued' },
      ),
    );
  }
  return { training, certificates };
}

function threeMonthsAfter(instant: string): number {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() + 3);
  return date.getTime();
}

function surveyIdIn(text: string): string {
  const match = /\/surveys\/([^?\s]+)\?lang=/.exec(text);
  expect(match, text).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

const answers = (index: number) => ({
  part: 'answers',
  applied: index % 3 === 2 ? 'not_yet' : 'yes',
  ratings: { usefulness: 4, confidence: 1 + (index % 5), support: 3 },
  colleagues: index + 1,
  forms: ['mentoring'],
  answers: { applicationHow: `Топтық жұмыс №${index}`, schoolChange: 'Әдістемелік бірлестік' },
});

async function answer(person: Person, surveyId: string, body: unknown) {
  return api<ErrorBody & { status?: string }>('POST', `/api/surveys/${surveyId}`, { token: person.token, body });
}

async function report(token: string, query: string) {
  return api<Report & ErrorBody>('GET', `/api/reports/survey${query}`, { token });
}

describe('follow-up impact survey', () => {
  it('invites at 3 months and reminds once a week later, each once however the schedule ticks; closes at 30 days; a revoked certificate gets nothing; results released once, anonymously', { timeout: 240_000 }, async () => {
    const holder = await newPerson('Әйгерім Сұлтанқызы');
    const responders = await Promise.all(Array.from({ length: DEFAULT_MIN_RESPONSES }, (_, index) => newPerson(`Жауап Берген ${index}`)));
    const silent = await newPerson('Үндемейтін Мұғалім');
    const revokedBefore = await newPerson('Қайтарылған Бұрын');
    const revokedAfter = await newPerson('Қайтарылған Кейін');
    const stranger = await newPerson('Бөгде Мұғалім');
    const people = [holder, ...responders, silent, revokedBefore, revokedAfter];
    const { training, certificates } = await certify([{ person: holder, language: 'ru' }, ...people.slice(1).map((person) => ({ person }))]);
    const revoked = await api('POST', `/api/certificates/${certificates.get(revokedBefore.email)!.id}/revoke`, { token: admin, body: { reason: 'Құжат қате' } });
    expect(revoked.status, revoked.text).toBe(200);
    const issuedAt = certificates.get(holder.email)!.issuedAt;
    const due = threeMonthsAfter(issuedAt);
    const month = (await api<Training>('GET', `/api/trainings/${training.id}`)).body.sessions[0]!.startsAt;
    const reportQuery = `?region=almaty&from=${monthOf(month)}&to=${monthOf(month)}`;
    const level = training.level;
    const before = (await report(coordinator, reportQuery)).body.byLevel.find((row) => row.level === level)!.metrics;

    // A day early: nothing.
    await setClock(new Date(due - DAY));
    await runSchedule('reminders');
    expect(await emailsTo(holder.email, INVITE)).toHaveLength(0);

    // Due: two ticks in a row and two at once send one invitation each, in the holder's language.
    await setClock(new Date(due + 60 * MINUTE));
    await runSchedule('reminders');
    await Promise.all([runSchedule('reminders'), runSchedule('reminders')]);
    const invitations = await emailsTo(holder.email, INVITE);
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.subject).toMatch(/^3 мес\. после обучения «/);
    expect(invitations[0]!.body.text).toContain('Здравствуйте, Әйгерім Сұлтанқызы!');
    const surveyId = surveyIdIn(invitations[0]!.body.text ?? '');
    expect(await emailsTo(revokedBefore.email, INVITE)).toHaveLength(0);
    const ids = new Map<string, string>();
    for (const person of people.filter((person) => person !== revokedBefore)) {
      const mail = await emailsTo(person.email, INVITE);
      expect(mail, person.name).toHaveLength(1);
      ids.set(person.email, surveyIdIn(mail[0]!.body.text ?? ''));
    }

    // The holder's survey is theirs alone; the revoked-before certificate has none.
    const view = await api<SurveyView>('GET', `/api/surveys/${surveyId}`, { token: holder.token });
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({ open: true, answered: false, releasedAt: null, optIn: { offered: true, wouldTrain: false } });
    expect((await api('GET', `/api/surveys/${surveyId}`, { token: stranger.token })).status).toBe(404);
    expect((await answer(stranger, surveyId, answers(0))).status).toBe(404);
    expect((await api('GET', `/api/surveys/3m-${certificates.get(revokedBefore.email)!.id}`, { token: revokedBefore.token })).status).toBe(404);

    // Revoked after the invitation: the link says so (410) and takes nothing.
    expect((await api('POST', `/api/certificates/${certificates.get(revokedAfter.email)!.id}/revoke`, { token: admin, body: { reason: 'Қате' } })).status).toBe(200);
    const gone = await api<ErrorBody>('GET', `/api/surveys/${ids.get(revokedAfter.email)!}`, { token: revokedAfter.token });
    expect(gone.status).toBe(410);
    expect(gone.body.error.reason).toBe('certificate_revoked');
    expect((await answer(revokedAfter, ids.get(revokedAfter.email)!, answers(0))).status).toBe(410);

    // Bad input: too long names the limit; nothing is written.
    const tooLong = await answer(holder, surveyId, { ...answers(0), answers: { schoolChange: 'ә'.repeat(5001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields?.['answers.schoolChange']?.[0]).toContain('5,000');

    // Answers, and reads before the release hold none of them.
    const coordinatorReads: string[] = [];
    for (const [index, person] of [holder, ...responders].entries()) {
      const sent = await answer(person, ids.get(person.email)!, answers(index));
      expect(sent.status, sent.text).toBe(201);
      const read = await report(coordinator, reportQuery);
      expect(read.body.byLevel.find((row) => row.level === level)!.metrics).toEqual(before);
      coordinatorReads.push(read.text);
    }
    expect(new Set(coordinatorReads).size).toBe(1);
    const twice = await answer(holder, surveyId, answers(1));
    expect(twice.status).toBe(409);
    expect(twice.body.error.reason).toBe('already_submitted');

    // A week on: one reminder to the one who has not answered, however the schedule ticks.
    await setClock(new Date(due + 8 * DAY));
    await Promise.all([runSchedule('reminders'), runSchedule('reminders')]);
    await runSchedule('reminders');
    await setClock(new Date(due + 9 * DAY));
    await runSchedule('reminders');
    expect(await emailsTo(silent.email, REMINDER)).toHaveLength(1);
    for (const person of [holder, ...responders, revokedBefore, revokedAfter]) expect(await emailsTo(person.email, REMINDER), person.name).toHaveLength(0);

    // 30 days after the invitation it is closed, with the date.
    await setClock(new Date(Date.parse(view.body.closesAt) + MINUTE));
    const late = await answer(silent, ids.get(silent.email)!, answers(7));
    expect(late.status).toBe(409);
    expect(late.body.error.reason).toBe('survey_closed');
    expect((late.body.error as { details?: Record<string, string> }).details?.closedAt).toBe(view.body.closesAt);
    expect(late.body.error.message).toMatch(/closed on/);

    // The job releases the wave once; the report then shows the whole group, the same at every read.
    await runSchedule('reminders');
    const released = await eventually(
      async () => {
        const read = await report(coordinator, reportQuery);
        const metrics = read.body.byLevel.find((row) => row.level === level)!.metrics;
        return metrics.responses > before.responses ? read : undefined;
      },
      { timeoutMs: 20_000, what: 'the released wave counted' },
    );
    const after = released.body.byLevel.find((row) => row.level === level)!.metrics;
    expect(after.invited - before.invited).toBe(people.length - 1);
    expect(after.responses - before.responses).toBe(DEFAULT_MIN_RESPONSES + 1);
    expect(after.colleaguesReached - before.colleaguesReached).toBe(((DEFAULT_MIN_RESPONSES + 1) * (DEFAULT_MIN_RESPONSES + 2)) / 2);
    expect(after.applicationRate).not.toBeNull();
    await runSchedule('reminders');
    expect((await report(coordinator, reportQuery)).text).toBe(released.text);
    for (const format of ['csv', 'xlsx']) {
      const file = await api('GET', `/api/reports/survey${reportQuery}&format=${format}`, { token: coordinator });
      expect(file.status, format).toBe(200);
    }

    // The raw table: nothing in a response or a mark leads to a person or a time.
    const partition = await partitionItems(dynamo, surveyKeys.wavePartition(training.id, 3));
    const identities = people.flatMap((person) => [person.email, person.name]);
    const instant = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
    const responses = partition.filter((item) => String(item.sk).startsWith('RESPONSE#'));
    expect(responses).toHaveLength(DEFAULT_MIN_RESPONSES + 1);
    for (const item of responses) {
      expect(Object.keys(item).sort()).toEqual(['answers', 'applied', 'colleagues', 'forms', 'months', 'pk', 'ratings', 'sk', 'trainingId', 'type']);
      const text = JSON.stringify(item);
      expect(text).not.toMatch(instant);
      for (const identity of identities) expect(text).not.toContain(identity);
    }
    for (const mark of partition.filter((item) => String(item.sk).startsWith('ANSWERED#'))) {
      expect(Object.keys(mark).sort()).toEqual(['months', 'pk', 'sk', 'trainingId', 'type']);
    }
    const state = partition.find((item) => item.sk === 'STATE')!;
    expect(state.releasedAt).toBeTypeOf('string');
    expect(JSON.stringify(state)).not.toContain('Топтық жұмыс');
    const marker = await partitionItems(dynamo, aggregateKeys.source(surveyKeys.state(training.id, 3).pk, 'STATE').pk);
    expect(marker.map((item) => Object.keys(item).sort())).toEqual([['once', 'pk', 'sk', 'type']]);
  });

  it('lists the named candidates for the next level to the region’s coordinator only, and lets the holder withdraw', async () => {
    const holder = await newPerson('Болашақ Тренер');
    const { certificates } = await certify([{ person: holder, language: 'kk' }]);
    const certificate = certificates.get(holder.email)!;
    await setClock(new Date(threeMonthsAfter(certificate.issuedAt) + 60 * MINUTE));
    await runSchedule('reminders');
    const surveyId = surveyIdIn((await emailsTo(holder.email, INVITE))[0]!.body.text ?? '');

    const optIn = await answer(holder, surveyId, { part: 'candidate', wouldTrain: true });
    expect(optIn.status, optIn.text).toBe(200);
    const list = (token: string, query = '') => api<Candidates & ErrorBody>('GET', `/api/reports/survey-candidates${query}`, { token });
    const own = await list(coordinator);
    expect(own.status).toBe(200);
    expect(own.body.items.find((item) => item.email === holder.email)).toMatchObject({ fullName: holder.name, certificateNumber: certificate.number, nextLevel: 1 });
    expect((await list(admin, '?region=almaty')).body.items.some((item) => item.email === holder.email)).toBe(true);
    expect((await list(otherCoordinator, '?region=almaty')).status).toBe(403);
    const theirs = await list(otherCoordinator);
    expect(theirs.status).toBe(200);
    expect(theirs.body.regions).toEqual(['astana']);
    expect(theirs.text).not.toContain(holder.email);

    const withdrawn = await answer(holder, surveyId, { part: 'candidate', wouldTrain: false });
    expect(withdrawn.status).toBe(200);
    expect((await list(coordinator)).body.items.some((item) => item.email === holder.email)).toBe(false);
    // The opt-in is not an answer: the survey is still open to answer.
    expect((await api<SurveyView>('GET', `/api/surveys/${surveyId}`, { token: holder.token })).body).toMatchObject({ open: true, answered: false });
  });
});

function monthOf(instant: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit' }).format(new Date(instant)).slice(0, 7);
}
