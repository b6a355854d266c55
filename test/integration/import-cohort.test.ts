import { beforeAll, describe, expect, it } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import { api, newPerson, publishTraining, tokenFor, trainingBody, uniqueAccount } from '../support/api';

type ImportBody = {
  results: { row: number; status: 'confirmed' | 'waitlisted' | 'error'; registrationId?: string; waitlistPosition?: number; error?: string }[];
  summary: Record<'confirmed' | 'waitlisted' | 'error', number>;
};
type RosterBody = { items: { email: string; status: string; waitlistPosition?: number }[]; nextCursor?: string };

const givenNames = ['Әлия', 'Бақыт', 'Құдайберген', 'Өмірзақ', 'Ұлжан', 'Һадия', 'Іңкәр', 'Ғалым', 'Үміт', 'Нұрсұлтан'];
const familyNames = ['Жұмабекқызы', 'Сәрсенов', 'Өңірбек', 'Үсенова', 'Ғалымжанқызы', 'Қасымов', 'Әбенова', 'Іскаков'];

let trainerToken: string;

beforeAll(async () => {
  trainerToken = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
});

/** One cohort file: 1,000 people with Kazakh names, in the order the coordinator wrote them. */
function cohortFile(tag: string, rows = 1_000): { csv: string; emails: string[] } {
  const emails = Array.from({ length: rows }, (_, index) => `cohort-${tag}-${index}@school.kz`);
  const lines = emails.map((email, index) => `${email},${givenNames[index % givenNames.length]} ${familyNames[index % familyNames.length]} ${index},№${index % 40} мектеп,kk`);
  return { csv: ['email,fullName,school,language', ...lines].join('\r\n'), emails };
}

function importFile(training: Training, csv: string) {
  return api<ImportBody>('POST', `/api/trainings/${training.id}/registrations/import`, {
    token: trainerToken,
    rawBody: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
}

async function wholeRoster(training: Training): Promise<RosterBody['items']> {
  const items: RosterBody['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await api<RosterBody>('GET', `/api/trainings/${training.id}/registrations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      token: trainerToken,
    });
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

function publishedCohort(capacity: number): Promise<Training> {
  // 25 days ahead: out of the near-term public list the other tests read.
  return publishTraining(trainerToken, trainingBody({ capacity }, Date.now(), 25));
}

describe('importing a 1,000-person cohort in one file', () => {
  it('seats the first 900 rows, queues the other 100 in file order, reports every row, and a second import changes nothing', async () => {
    const training = await publishedCohort(900);
    const { csv, emails } = cohortFile(`${Date.now()}`);
    const started = Date.now();
    const response = await importFile(training, csv);
    console.info(`imported 1,000 rows in ${Date.now() - started} ms`);
    expect(response.status, response.text.slice(0, 500)).toBe(200);
    const { results, summary } = response.body;
    expect(summary).toEqual({ confirmed: 900, waitlisted: 100, error: 0 });
    expect(results.map((result) => result.row)).toEqual(emails.map((_, index) => index + 2));
    expect(results.slice(0, 900).every((result) => result.status === 'confirmed')).toBe(true);
    expect(results.slice(900).map((result) => [result.status, result.waitlistPosition])).toEqual(
      Array.from({ length: 100 }, (_, index) => ['waitlisted', index + 1]),
    );
    expect(new Set(results.map((result) => result.registrationId)).size).toBe(1_000);

    const roster = await wholeRoster(training);
    const byEmail = new Map(roster.map((entry) => [entry.email, entry]));
    expect(roster).toHaveLength(1_000);
    expect(emails.slice(0, 900).every((email) => byEmail.get(email)?.status === 'confirmed')).toBe(true);
    expect(emails.slice(900).map((email) => byEmail.get(email)?.waitlistPosition)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));

    const again = await importFile(training, csv);
    expect(again.status, again.text.slice(0, 500)).toBe(200);
    expect(again.body.summary).toEqual({ confirmed: 0, waitlisted: 0, error: 1_000 });
    expect(again.body.results.every((result, index) => result.error?.startsWith(`row ${index + 2}: ${emails[index]} is already registered`))).toBe(true);
    const after = await wholeRoster(training);
    expect(after.map((entry) => [entry.email, entry.status, entry.waitlistPosition]).sort()).toEqual(
      roster.map((entry) => [entry.email, entry.status, entry.waitlistPosition]).sort(),
    );
  }, 180_000);

  it('never overbooks while teachers register themselves during the import', async () => {
    const capacity = 900;
    const training = await publishedCohort(capacity);
    const { csv, emails } = cohortFile(`burst-${Date.now()}`);
    const teachers = await Promise.all(Array.from({ length: 60 }, (_, index) => newPerson(`Мұғалім Әлиев ${index}`)));
    const [imported, ...selves] = await Promise.all([
      importFile(training, csv),
      ...teachers.map(async (teacher, index) => {
        // Spread over the import's first seconds, so some land between its seat batches.
        await new Promise((resolve) => setTimeout(resolve, index * 40));
        return api<{ status: string }>('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body: { fullName: teacher.name } });
      }),
    ]);
    expect(imported.status, imported.text.slice(0, 500)).toBe(200);
    expect(selves.map((response) => response.status)).toEqual(selves.map(() => 201));
    const { results, summary } = imported.body;
    expect(summary.error).toBe(0);
    // The import's seats are a prefix of the file and its queue places rise in file order.
    const firstQueued = results.findIndex((result) => result.status === 'waitlisted');
    expect(results.slice(0, firstQueued === -1 ? undefined : firstQueued).every((result) => result.status === 'confirmed')).toBe(true);
    const positions = results.slice(firstQueued).map((result) => result.waitlistPosition!);
    expect(positions.every((position, index) => index === 0 || position > positions[index - 1]!)).toBe(true);

    const roster = await wholeRoster(training);
    expect(roster).toHaveLength(1_000 + teachers.length);
    expect(roster.filter((entry) => entry.status === 'confirmed')).toHaveLength(capacity);
    expect(emails.every((email) => roster.some((entry) => entry.email === email))).toBe(true);
  }, 240_000);
});
