import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import {
  api,
  call,
  drainStreams,
  emailsTo,
  newPerson,
  publishTraining,
  resetClock,
  runSchedule,
  sentEmails,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
  type ErrorBody,
  type Person,
} from '../support/api';

/**
 * Fault tests: SES down for longer than every retry, a worker dying while it holds an email's
 * claim, a stream record that fails every retry, two sweepers beside the stream, and writes
 * racing a close. What must hold: after the sweeper, everyone has exactly one certificate and
 * one email of each kind, and nothing lands after a training is closed.
 */

const MINUTE = 60_000;
/** Past the sweeper's 5 minutes (and an email claim's 2-minute lease). */
const STUCK_AFTER_MS = 8 * MINUTE;

type SweepReport = {
  found: Record<'issuance' | 'reissue' | 'resend' | 'email' | 'seats', number>;
  redriven: number;
  busy: number;
  failed: number;
  itemsRead: number;
  stuck: number;
};
type Progress = {
  summary: { participants: number; issued: number; notCompleted: number; pending: number; emailed: number };
  items: { registrationId: string; fullName: string; outcome: string; certificateId?: string; delivery?: { status: string } }[];
};
type ImportResults = { results: { row: number; status: string; registrationId?: string; error?: string }[] };

let trainer: { email: string; token: string };
let admin: string;

beforeAll(async () => {
  const account = uniqueAccount('trainers', 'Ерлан Сыпыров');
  trainer = { email: account.email, token: await tokenFor(account) };
  admin = await tokenFor(uniqueAccount('admins', 'Админ Тексеру'));
});

afterEach(async () => {
  await setOutage(false);
  await resetClock();
});

async function setOutage(down: boolean): Promise<void> {
  const response = await fetch(`${inject('sesProxyUrl')}/__outage`, { method: 'POST', body: JSON.stringify({ down }) });
  expect(response.status).toBe(200);
}

async function armFault(point: string, times: number): Promise<void> {
  const response = await api('POST', '/api/local/faults', { body: { point, times } });
  expect(response.status, response.text).toBe(200);
}

/** A drain gives up after a while on a loaded machine; asking again waits longer, nothing else. */
async function settle(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await drainStreams();
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

async function sweepNow(): Promise<SweepReport> {
  return (await runSchedule('sweeper')) as SweepReport;
}

/** The local clock (shared by the whole stack), moved on by `ms` from where it is now. */
async function advanceClock(ms: number): Promise<void> {
  const { body } = await api<{ now: string }>('GET', '/api/local/clock');
  await setClock(new Date(Date.parse(body.now) + ms));
}

async function deadLetterIds(): Promise<string[]> {
  return (await api<{ items: { id: string }[] }>('GET', '/api/local/dead-letters')).body.items.map((item) => item.id);
}

async function importPeople(training: Training, people: readonly { email: string; name: string }[]): Promise<ImportResults['results']> {
  const csv = ['email,fullName', ...people.map((person) => `${person.email},${person.name}`)].join('\r\n');
  const response = await api<ImportResults>('POST', `/api/trainings/${training.id}/registrations/import`, {
    token: trainer.token,
    rawBody: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(response.status, response.text).toBe(200);
  return response.body.results;
}

function cohort(size: number, label: string): { email: string; name: string }[] {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  return Array.from({ length: size }, (_, index) => ({ email: `${label}-${index}-${stamp}@school.kz`, name: `Мұғалім ${label} ${index}` }));
}

/** Everyone but the last person attends every session; then the clock moves past the end. */
async function heldTraining(size: number, label: string) {
  const people = cohort(size, label);
  const training = await publishTraining(trainer.token, trainingBody({ capacity: size, feedbackRequired: false }));
  const results = await importPeople(training, people);
  expect(results.every((result) => result.status === 'confirmed')).toBe(true);
  const completers = results.slice(0, -1).map((result) => result.registrationId!);
  for (const session of training.sessions) {
    await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
    const records = completers.map((registrationId) => ({ registrationId, status: 'present' }));
    const response = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, { token: trainer.token, body: { records } });
    expect(response.status, response.text).toBe(200);
  }
  await setClock(new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 60 * MINUTE));
  await settle();
  return { training, people, completers: people.slice(0, -1), absent: people.at(-1)! };
}

async function close(training: Training): Promise<void> {
  const closed = await api('POST', `/api/trainings/${training.id}/close`, { token: trainer.token });
  expect(closed.status, closed.text).toBe(200);
}

async function progress(training: Training): Promise<Progress> {
  const response = await api<Progress>('GET', `/api/trainings/${training.id}/issuance`, { token: trainer.token });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function messageIds(): Promise<Set<string>> {
  return new Set((await sentEmails()).map((email) => email.messageId));
}

/**
 * Each completer: exactly one certificate email; the absent one: exactly one "not yet" email —
 * counting only what was sent after `before` (the import's confirmations came earlier).
 */
async function expectEachToldOnce(completers: readonly { email: string }[], absent: { email: string }, before: Set<string>): Promise<void> {
  const all = (await sentEmails()).filter((email) => !before.has(email.messageId));
  const to = (address: string) => all.filter((email) => email.destination.to.some((recipient) => recipient.includes(address)));
  for (const person of completers) {
    const mails = to(person.email);
    expect(mails, person.email).toHaveLength(1);
    expect(mails[0]!.attachments.filter((attachment) => attachment.contentType === 'application/pdf')).toHaveLength(1);
  }
  expect(to(absent.email)).toHaveLength(1);
  expect(to(absent.email)[0]!.attachments).toHaveLength(0);
}

describe('the sweeper', () => {
  it('after SES was down for longer than every retry, gives every participant one certificate and one email', async () => {
    const { training, completers, absent } = await heldTraining(6, 'outage');
    const lettersBefore = new Set(await deadLetterIds());
    const before = await messageIds();

    await setOutage(true);
    await close(training);
    await settle();
    // Every retry failed: the records are dead letters, the work is still pending, nothing was sent.
    const letters = (await deadLetterIds()).filter((id) => !lettersBefore.has(id));
    expect(letters.length).toBeGreaterThan(0);
    const sentDuring = (await sentEmails()).filter((email) => !before.has(email.messageId));
    for (const person of [...completers, absent]) expect(sentDuring.filter((email) => email.destination.to.some((to) => to.includes(person.email)))).toHaveLength(0);
    const during = await progress(training);
    expect(during.summary.emailed).toBe(0);

    // SES is back. The stream has given up; the sweeper finds the work once it is 5 minutes old.
    // Other files' leftovers may be swept too, so what is asserted is what happened to this cohort.
    await setOutage(false);
    await sweepNow();
    await settle();
    const sentEarly = (await sentEmails()).filter((email) => !before.has(email.messageId));
    for (const person of [...completers, absent]) expect(sentEarly.filter((email) => email.destination.to.some((to) => to.includes(person.email)))).toHaveLength(0);
    await advanceClock(STUCK_AFTER_MS);
    const report = await sweepNow();
    expect(report.found.issuance).toBeGreaterThanOrEqual(6);
    expect(report.failed).toBe(0);
    await settle();

    await expectEachToldOnce(completers, absent, before);
    const after = await progress(training);
    expect(after.summary).toMatchObject({ participants: 6, issued: 5, notCompleted: 1, pending: 0, emailed: 5 });
    expect(new Set(after.items.map((item) => item.certificateId).filter(Boolean)).size).toBe(5);

    // The dead letters are now redundant: replaying them changes nothing, and nothing is left to sweep.
    for (const id of letters) expect((await api('POST', `/api/local/dead-letters/${id}/replay`)).status).toBe(200);
    await settle();
    await expectEachToldOnce(completers, absent, before);
    const quiet = await sweepNow();
    expect(quiet.failed).toBe(0);
    await settle();
    await expectEachToldOnce(completers, absent, before);
    expect((await progress(training)).summary.pending).toBe(0);
  });

  it('sends an email once after the lease of a worker that died holding its claim', async () => {
    const training = await publishTraining(trainer.token, trainingBody({ capacity: 5 }));
    await settle();
    const teacher = await newPerson('Гүлназ Сейтқали');
    const lettersBefore = new Set(await deadLetterIds());
    // The first worker dies after claiming; the stream's retries find the claim held and give up.
    await armFault('email.after-claim', 1);
    const registered = await api('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body: { fullName: teacher.name } });
    expect(registered.status, registered.text).toBe(201);
    await settle();
    expect(await emailsTo(teacher.email)).toHaveLength(0);
    expect((await deadLetterIds()).filter((id) => !lettersBefore.has(id)).length).toBeGreaterThan(0);

    // Within the lease the claim is still the dead worker's: the sweeper leaves it alone.
    await advanceClock(MINUTE);
    await sweepNow();
    await settle();
    expect(await emailsTo(teacher.email)).toHaveLength(0);
    await advanceClock(STUCK_AFTER_MS);
    const report = await sweepNow();
    expect(report.found.email).toBeGreaterThanOrEqual(1);
    await settle();
    expect(await emailsTo(teacher.email)).toHaveLength(1);
    await sweepNow();
    await settle();
    expect(await emailsTo(teacher.email)).toHaveLength(1);
  });

  it('promotes the head of the waitlist when a withdrawal happens while SES is down, without waiting for any email', async () => {
    const training = await publishTraining(trainer.token, trainingBody({ capacity: 1 }));
    const [first, second] = [await newPerson('Асқар Бірінші'), await newPerson('Дана Екінші')] as [Person, Person];
    for (const person of [first, second]) {
      const response = await api('POST', `/api/trainings/${training.id}/registrations`, { token: person.token, body: { fullName: person.name } });
      expect(response.status, response.text).toBe(201);
    }
    await settle();
    await setOutage(true);
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: first.token })).status).toBe(200);
    await settle();
    // The seat is filled by the stream although both emails (withdrawn, promoted) failed every retry.
    const mine = await call('myRegistrations', '/api/me/registrations', { token: second.token });
    expect(mine.body.items.find((item) => item.trainingId === training.id)?.status).toBe('confirmed');
    await setOutage(false);
    await advanceClock(STUCK_AFTER_MS);
    const report = await sweepNow();
    expect(report.found.email).toBeGreaterThanOrEqual(2);
    await settle();
    expect(await emailsTo(first.email, /./)).toHaveLength(2); // confirmed, then withdrawn
    expect(await emailsTo(second.email)).toHaveLength(2); // waitlisted, then promoted
  });

  it('fills a seat within one sweep when the withdrawal record itself fails every retry', async () => {
    const training = await publishTraining(trainer.token, trainingBody({ capacity: 1 }));
    const [first, second] = [await newPerson('Мақсат Алғашқы'), await newPerson('Сәуле Кезекте')] as [Person, Person];
    for (const person of [first, second]) {
      const response = await api('POST', `/api/trainings/${training.id}/registrations`, { token: person.token, body: { fullName: person.name } });
      expect(response.status, response.text).toBe(201);
    }
    await settle();
    // The withdrawal's record fails on its first delivery and on every retry (maxRetries 3).
    await armFault('workflow.registration-changed', 4);
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: first.token })).status).toBe(200);
    await settle();
    const statusOf = async () =>
      (await call('myRegistrations', '/api/me/registrations', { token: second.token })).body.items.find(
        (item) => item.trainingId === training.id,
      )?.status;
    expect(await statusOf()).toBe('waitlisted');
    await advanceClock(STUCK_AFTER_MS);
    const report = await sweepNow();
    expect(report.found.seats).toBeGreaterThanOrEqual(1);
    expect(await statusOf()).toBe('confirmed');
    await settle();
    expect(await emailsTo(second.email)).toHaveLength(2);
    await sweepNow();
    await settle();
    expect(await statusOf()).toBe('confirmed');
    expect(await emailsTo(second.email)).toHaveLength(2);
  });

  it('two sweepers and the stream at once issue and send nothing twice', async () => {
    const { training, completers, absent } = await heldTraining(10, 'race');
    const lettersBefore = new Set(await deadLetterIds());
    const before = await messageIds();
    await setOutage(true);
    await close(training);
    await settle();
    const letters = (await deadLetterIds()).filter((id) => !lettersBefore.has(id));
    await setOutage(false);
    await advanceClock(STUCK_AFTER_MS);
    const [one, two] = await Promise.all([
      sweepNow(),
      sweepNow(),
      ...letters.map((id) => api('POST', `/api/local/dead-letters/${id}/replay`)),
    ]);
    expect((one).failed + (two).failed).toBe(0);
    await settle();
    // An item one sweeper found claimed by the other is the next run's; that run finds it done.
    await sweepNow();
    await settle();
    await expectEachToldOnce(completers, absent, before);
    const after = await progress(training);
    expect(after.summary).toMatchObject({ issued: 9, notCompleted: 1, pending: 0 });
    expect(new Set(after.items.map((item) => item.certificateId).filter(Boolean)).size).toBe(9);
  });

  it('ends a resend whose certificate is revoked while SES is down as cancelled, and sends nothing', async () => {
    const { training, completers } = await heldTraining(2, 'resend');
    const before = await messageIds();
    await close(training);
    await settle();
    const issued = (await progress(training)).items.find((item) => item.outcome === 'issued')!;
    const holder = completers.find((person) => issued.fullName === person.name)!;
    const certificateEmails = async () => (await emailsTo(holder.email)).filter((email) => !before.has(email.messageId));
    expect(await certificateEmails()).toHaveLength(1);
    await setOutage(true);
    await advanceClock(6 * MINUTE);
    expect((await api('POST', `/api/certificates/${issued.certificateId}/resend`, { token: trainer.token })).status).toBe(202);
    await settle();
    expect((await api('POST', `/api/certificates/${issued.certificateId}/revoke`, { token: admin, body: { reason: 'Issued in error' } })).status).toBe(200);
    await setOutage(false);
    await advanceClock(STUCK_AFTER_MS);
    const report = await sweepNow();
    expect(report.found.resend).toBeGreaterThanOrEqual(1);
    await settle();
    const item = (await progress(training)).items.find((candidate) => candidate.certificateId === issued.certificateId)!;
    expect(item.delivery?.status).toBe('cancelled');
    expect(await certificateEmails()).toHaveLength(1);
    await sweepNow();
    await settle();
    expect(await certificateEmails()).toHaveLength(1);
  });
});

describe('closed means closed', () => {
  it('answers each attendance write and withdrawal racing the close either before the close or with a refusal', async () => {
    const { training, people } = await heldTraining(12, 'close-race');
    const teachers = await Promise.all(people.slice(6).map(async (person) => ({ ...person, token: await tokenFor({ email: person.email, name: person.name, groups: ['teachers'] }) })));
    const roster = await call('roster', `/api/trainings/${training.id}/registrations?limit=100`, { token: trainer.token });
    const idOf = (email: string) => roster.body.items.find((item) => item.email === email)!.registrationId;
    const lastSession = training.sessions.at(-1)!;
    // The last of the marked people is re-marked absent (a correction) while the close runs, and
    // the people not marked present withdraw meanwhile.
    const corrections = people.slice(0, 5).map((person) =>
      api('PUT', `/api/trainings/${training.id}/sessions/${lastSession.id}/attendance`, {
        token: trainer.token,
        body: { records: [{ registrationId: idOf(person.email), status: 'absent' }] },
      }),
    );
    const withdrawals = teachers.map((teacher) => api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: teacher.token }));
    const [closed, ...answers] = await Promise.all([api('POST', `/api/trainings/${training.id}/close`, { token: trainer.token }), ...corrections, ...withdrawals]);
    expect(closed.status, closed.text).toBe(200);
    for (const answer of answers) expect([200, 409], answer.text).toContain(answer.status);
    await settle();

    const final = await call('attendanceReport', `/api/trainings/${training.id}/attendance?format=json`,
      { token: trainer.token },
    );
    expect(final.status, final.text).toBe(200);
    const view = await progress(training);
    const outcomeOf = (registrationId: string) => view.items.find((item) => item.registrationId === registrationId)?.outcome;
    people.slice(0, 5).forEach((person, index) => {
      const row = final.body.participants.find((candidate) => candidate.registrationId === idOf(person.email))!;
      // Accepted: the correction is in the final sheet and the certificate follows it; refused: neither changed.
      if (answers[index]!.status === 200) {
        expect(row.sessions[lastSession.id]).toBe('absent');
        expect(outcomeOf(idOf(person.email))).toBe('not-completed');
      } else {
        expect((answers[index]!.body as ErrorBody).error.reason).toBeDefined();
        expect(row.sessions[lastSession.id]).toBe('present');
        expect(outcomeOf(idOf(person.email))).toBe('issued');
      }
    });
    teachers.forEach((teacher, offset) => {
      const answer = answers[5 + offset]!;
      const registrationId = idOf(teacher.email);
      if (answer.status === 200) {
        expect(outcomeOf(registrationId)).toBeUndefined();
      } else {
        expect((answer.body as ErrorBody).error.reason).toBe('closed');
        expect(outcomeOf(registrationId)).toBeDefined();
      }
    });
    // After the close every one of them is refused.
    const late = await api<ErrorBody>('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: teachers[0]!.token });
    expect(late.status).toBe(409);
  });

  it('refuses a check-in that lands after the close', async () => {
    const training = await publishTraining(trainer.token, trainingBody({ capacity: 3, feedbackRequired: false }));
    const teacher = await newPerson('Арман Кешікті');
    expect((await api('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body: { fullName: teacher.name } })).status).toBe(201);
    const lastSession = training.sessions.at(-1)!;
    // Just before the last session ends: the code is valid, and the close becomes possible a moment later.
    await setClock(new Date(Date.parse(lastSession.endsAt) - 3_000));
    const code = await call('issueCheckInCode', `/api/trainings/${training.id}/sessions/${lastSession.id}/check-in-codes`, { token: trainer.token });
    expect(code.status, code.text).toBe(200);
    const checkIns: Promise<{ status: number; text: string }>[] = [];
    let closedStatus = 0;
    for (let attempt = 0; attempt < 200 && closedStatus !== 200; attempt++) {
      checkIns.push(api('POST', '/api/check-in', { token: teacher.token, body: { code: code.body.code } }));
      closedStatus = (await api('POST', `/api/trainings/${training.id}/close`, { token: trainer.token })).status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(closedStatus).toBe(200);
    const answers = await Promise.all(checkIns);
    for (const answer of answers) expect([200, 409], answer.text).toContain(answer.status);
    const after = await api<ErrorBody>('POST', '/api/check-in', { token: teacher.token, body: { code: code.body.code } });
    expect(after.status).toBeGreaterThanOrEqual(400);
    expect(after.status).toBeLessThan(500);
  });
});

describe('no self-certification', () => {
  it('keeps a trainer out of their own training, by sign-up and by import', async () => {
    const training = await publishTraining(trainer.token, trainingBody({ capacity: 5 }));
    const asTeacher = await tokenFor({ email: trainer.email, name: 'Ерлан Сыпыров', groups: ['trainers', 'teachers'] });
    const own = await api<ErrorBody>('POST', `/api/trainings/${training.id}/registrations`, { token: asTeacher, body: { fullName: 'Ерлан Сыпыров' } });
    expect(own.status).toBe(409);
    expect(own.body.error.reason).toBe('own_training');
    const [trainerRow, other] = await importPeople(training, [
      { email: trainer.email.toUpperCase(), name: 'Ерлан Сыпыров' },
      { email: `other-${Date.now()}@school.kz`, name: 'Басқа Мұғалім' },
    ]);
    expect(trainerRow).toMatchObject({ status: 'error', error: expect.stringMatching(/trainer/) as unknown });
    expect(other?.status).toBe('confirmed');
  });
});
