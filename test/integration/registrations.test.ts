import ICAL from 'ical.js';
import iconv from 'iconv-lite';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Training } from '../../shared/schemas/training';
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
  sentEmails,
  setClock,
  type StoredEmail,
  tokenFor,
  trainingBody,
  uniqueAccount,
} from '../support/api';

type Receipt = { registrationId: string; status: 'confirmed' | 'waitlisted'; waitlistPosition?: number };
type RosterBody = { items: { email: string; fullName: string; status: string; waitlistPosition?: number }[]; nextCursor?: string };
type MineBody = { items: { registrationId: string; trainingId: string; status: string; waitlistPosition?: number }[] };

let trainerToken: string;


function publishedTraining(overrides: Record<string, unknown> = {}, token = trainerToken): Promise<Training> {
  return publishTraining(token, trainingBody(overrides));
}

function register(training: Training, teacher: Person, body: Record<string, unknown> = {}) {
  return api<Receipt & ErrorBody>('POST', `/api/trainings/${training.id}/registrations`, {
    token: teacher.token,
    body: { fullName: teacher.name, ...body },
  });
}


function awaitEmail(address: string, subjectPattern: RegExp, timeoutMs = 5_000): Promise<StoredEmail> {
  return eventually(async () => (await emailsTo(address, subjectPattern))[0], { timeoutMs, what: `email ${subjectPattern} to ${address}` });
}

beforeAll(async () => {
  trainerToken = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
});

afterEach(async () => {
  await resetClock();
});

describe('registering through the gateway', () => {
  it('confirms a seat and emails a calendar invite with every session and the online link within 5 s', async () => {
    const training = await publishedTraining();
    const teacher = await newPerson('Әлия Ғалымжанқызы');
    const started = Date.now();
    const response = await register(training, teacher, { school: '№12 мектеп', preferredLanguage: 'kk' });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ status: 'confirmed' });
    expect(response.body.waitlistPosition).toBeUndefined();

    const email = await awaitEmail(teacher.email, /./);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(email.subject).toContain('Көшбасшылық және өзгеріс');
    const invite = email.attachments.find((attachment) => attachment.filename === 'invite.ics');
    expect(invite, 'the confirmation carries invite.ics').toBeDefined();
    const calendar = ICAL.Component.fromString(Buffer.from(invite!.content, 'base64').toString('utf8'));
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    expect(events).toHaveLength(training.sessions.length);
    expect(events.map((event) => event.startDate.toJSDate().toISOString()).sort()).toEqual(
      training.sessions.map((session) => new Date(session.startsAt).toISOString()).sort(),
    );
    for (const event of events) expect(`${event.description} ${String(event.component.getFirstPropertyValue('url'))}`).toContain('https://meet.example.org/abc');

    const again = await register(training, teacher);
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('already_registered');

    const mine = await api<MineBody>('GET', '/api/me/registrations', { token: teacher.token });
    expect(mine.body.items).toEqual([
      expect.objectContaining({ registrationId: response.body.registrationId, trainingId: training.id, status: 'confirmed' }),
    ]);
  });

  it('waitlists when full, promotes the first in line when a seat frees, and emails both', async () => {
    const training = await publishedTraining({ capacity: 2 });
    const [first, second, third, fourth] = await Promise.all([newPerson(), newPerson(), newPerson('Дәурен Өтепов'), newPerson()]);
    expect((await register(training, first)).body.status).toBe('confirmed');
    expect((await register(training, second)).body.status).toBe('confirmed');
    const waiting = await register(training, third);
    expect(waiting.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await register(training, fourth)).body).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    await awaitEmail(third.email, /./);

    const withdrawn = await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: first.token });
    expect(withdrawn.status, withdrawn.text).toBe(200);

    await eventually(async () => ((await emailsTo(third.email)).length >= 2 ? true : undefined), { what: 'promotion email' });
    const thirdMine = await api<MineBody>('GET', '/api/me/registrations', { token: third.token });
    expect(thirdMine.body.items[0]).toMatchObject({ status: 'confirmed' });
    const fourthMine = await api<MineBody>('GET', '/api/me/registrations', { token: fourth.token });
    expect(fourthMine.body.items[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await awaitEmail(first.email, /./);

    // The freed seat went to the queue, not to a newcomer.
    expect((await register(training, await newPerson())).body).toMatchObject({ status: 'waitlisted' });
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: first.token })).status).toBe(404);
  });

  it('shows the roster to the trainer, the region\'s coordinator and admins only', async () => {
    const training = await publishedTraining({ region: 'pavlodar' });
    const teacher = await newPerson('Іңкәр Үсенова');
    await register(training, teacher);
    const coordinator = await tokenFor({ email: `coord-${Date.now()}@test.kz`, name: 'Нұрлан', groups: ['coordinators'], region: 'pavlodar' });
    const otherCoordinator = await tokenFor({ email: `coord2-${Date.now()}@test.kz`, name: 'Сәуле', groups: ['coordinators'], region: 'astana' });
    const otherTrainer = await tokenFor(uniqueAccount('trainers'));

    for (const token of [trainerToken, coordinator]) {
      const roster = await api<RosterBody>('GET', `/api/trainings/${training.id}/registrations`, { token });
      expect(roster.status, roster.text).toBe(200);
      expect(roster.body.items).toEqual([expect.objectContaining({ email: teacher.email, fullName: 'Іңкәр Үсенова', status: 'confirmed' })]);
    }
    for (const token of [otherCoordinator, otherTrainer, teacher.token]) {
      expect((await api('GET', `/api/trainings/${training.id}/registrations`, { token })).status).toBe(403);
    }
  });

  it('refuses drafts, cancelled trainings and closed registration with a 409 and the reason', async () => {
    const teacher = await newPerson();
    const draft = await api<Training>('POST', '/api/trainings', { token: trainerToken, body: trainingBody() });
    expect((await register(draft.body, teacher)).body.error.reason).toBe('not_published');

    const closing = await publishedTraining({ registrationClosesAt: new Date(Date.now() + 86_400_000).toISOString() });
    await setClock(new Date(Date.now() + 2 * 86_400_000));
    const late = await register(closing, teacher);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ reason: 'registration_closed' });
    await resetClock();

    const cancelled = await publishedTraining();
    await api('POST', `/api/trainings/${cancelled.id}/cancel`, { token: trainerToken });
    expect((await register(cancelled, teacher)).body.error.reason).toBe('cancelled');
    expect((await api('POST', '/api/trainings/nope/registrations', { token: teacher.token, body: { fullName: 'x' } })).status).toBe(404);
  });

  it('emails everyone registered when the training is cancelled', async () => {
    const training = await publishedTraining({ capacity: 1 });
    const [seated, waiting] = await Promise.all([newPerson(), newPerson()]);
    await register(training, seated);
    await register(training, waiting);
    await api('POST', `/api/trainings/${training.id}/cancel`, { token: trainerToken, body: { reason: 'Карантин' } });
    for (const teacher of [seated, waiting]) {
      await eventually(async () => ((await emailsTo(teacher.email)).length >= 2 ? true : undefined), { what: 'cancellation email' });
    }
  });

  it('rejects bad input with field-level messages and writes nothing', async () => {
    const training = await publishedTraining();
    const teacher = await newPerson();
    const cases: [unknown, string][] = [
      [{ fullName: 42 }, 'fullName'],
      [{}, 'fullName'],
      [{ fullName: '   ' }, 'fullName'],
      [{ fullName: 'Әлия', preferredLanguage: 'de' }, 'preferredLanguage'],
      [{ fullName: 'Әлия', seats: 3 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await api<ErrorBody>('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.fields?.[field], JSON.stringify(response.body)).toBeDefined();
    }
    const trainerAttempt = await api('POST', `/api/trainings/${training.id}/registrations`, { token: trainerToken, body: { fullName: 'x' } });
    expect(trainerAttempt.status).toBe(403);
    const mine = await api<MineBody>('GET', '/api/me/registrations', { token: teacher.token });
    expect(mine.body.items).toEqual([]);
  });
});

describe('importing participants from CSV', () => {
  it('registers the good rows and reports each broken one', async () => {
    const training = await publishedTraining({ capacity: 2 });
    const stamp = Date.now();
    const csv = [
      'Email;ФИО;Школа',
      `a-${stamp}@school.kz;Әлия Ғалымжанқызы;№1`,
      `not-an-email;Бақыт Сәрсенов;№2`,
      `b-${stamp}@school.kz;Құдайберген Өңірбек;№3`,
      `c-${stamp}@school.kz;;№4`,
      `d-${stamp}@school.kz;Һадия Үсенова;№5`,
      `a-${stamp}@school.kz;Әлия again;№1`,
    ].join('\r\n');
    const response = await api<{ results: { row: number; status: string; error?: string }[]; summary: Record<string, number> }>(
      'POST',
      `/api/trainings/${training.id}/registrations/import`,
      { token: trainerToken, rawBody: `\uFEFF${csv}`, headers: { 'content-type': 'text/csv; charset=utf-8' } },
    );
    expect(response.status, response.text).toBe(200);
    const byRow = new Map(response.body.results.map((result) => [result.row, result]));
    // Seats and queue places follow the file's order.
    expect(byRow.get(2)?.status).toBe('confirmed');
    expect(byRow.get(4)?.status).toBe('confirmed');
    expect(byRow.get(6)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(byRow.get(3)).toMatchObject({ status: 'error', error: expect.stringMatching(/row 3/) as unknown });
    expect(byRow.get(5)).toMatchObject({ status: 'error' });
    expect(byRow.get(7)).toMatchObject({ status: 'error' });
    expect(response.body.summary).toEqual({ confirmed: 2, waitlisted: 1, error: 3 });

    const roster = await api<RosterBody>('GET', `/api/trainings/${training.id}/registrations`, { token: trainerToken });
    expect(roster.body.items.map((item) => item.fullName).sort()).toEqual(['Құдайберген Өңірбек', 'Әлия Ғалымжанқызы', 'Һадия Үсенова'].sort());
  });

  it('refuses a file that is not UTF-8, a wrong content type, and a teacher', async () => {
    const training = await publishedTraining();
    const cp1251 = iconv.encode(`email,fullName\r\nx-${Date.now()}@school.kz,Айгүл Жұмабекова\r\n`, 'win1251');
    const legacy = await api<ErrorBody>('POST', `/api/trainings/${training.id}/registrations/import`, {
      token: trainerToken,
      rawBody: cp1251,
      headers: { 'content-type': 'text/csv' },
    });
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.message).toMatch(/UTF-8/);

    const json = await api('POST', `/api/trainings/${training.id}/registrations/import`, { token: trainerToken, body: { rows: [] } });
    expect(json.status).toBe(415);

    const teacher = await newPerson();
    const forbidden = await api('POST', `/api/trainings/${training.id}/registrations/import`, {
      token: teacher.token,
      rawBody: 'email,fullName\r\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(forbidden.status).toBe(403);
    expect((await api<RosterBody>('GET', `/api/trainings/${training.id}/registrations`, { token: trainerToken })).body.items).toEqual([]);
  });
});

describe('a registration burst', () => {
  it('500 concurrent registrations at a 20-seat training: 20 confirmed, 480 waitlisted at positions 1–480, no 5xx', async () => {
    const training = await publishedTraining({ capacity: 20 });
    const accounts = Array.from({ length: 500 }, (_, index) => uniqueAccount('teachers', `Мұғалім ${index}`));
    const teachers = await Promise.all(accounts.map((account) => tokenFor(account)));
    const responses = await Promise.all(
      teachers.map((token, index) =>
        api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token, body: { fullName: `Мұғалім ${index}` } }),
      ),
    );
    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const confirmed = responses.filter((response) => response.body.status === 'confirmed');
    const waitlisted = responses.filter((response) => response.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(20);
    expect(waitlisted).toHaveLength(480);
    expect(waitlisted.map((response) => response.body.waitlistPosition).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 480 }, (_, index) => index + 1),
    );

    const roster = await api<RosterBody>('GET', `/api/trainings/${training.id}/registrations?limit=500`, { token: trainerToken });
    expect(roster.body.items.filter((item) => item.status === 'confirmed')).toHaveLength(20);

    // Each waitlist email states the place its receipt gave: the consumer reads the queue once
    // per batch, and that one read must still place every person of the batch exactly.
    await drainStreams();
    const emails = await sentEmails();
    const placeInEmail = new Map<string, number>();
    for (const email of emails) {
      const place = /Кезектегі нөміріңіз: (\d+)\./.exec(email.body.text ?? '')?.[1];
      if (place) for (const to of email.destination.to) placeInEmail.set(to, Number(place));
    }
    const placeInReceipt = new Map(responses.flatMap((response, index) => (response.body.status === 'waitlisted' ? [[accounts[index]!.email, response.body.waitlistPosition]] : [])));
    expect(placeInReceipt.size).toBe(480);
    expect(new Map([...placeInReceipt.keys()].map((email) => [email, placeInEmail.get(email)]))).toEqual(placeInReceipt);
  }, 120_000);
});
