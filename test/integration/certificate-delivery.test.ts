import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import {
  api,
  apiUrl,
  drainStreams,
  emailsTo,
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

type Receipt = { registrationId: string; status: string };
type Delivery = { status: 'sending' | 'sent' | 'delivered' | 'bounced' | 'complained'; at: string };
type Progress = {
  summary: { participants: number; issued: number; notCompleted: number; pending: number; emailed: number; bounced: number; complained: number };
  items: { registrationId: string; fullName: string; outcome: string; certificateId?: string; number?: string; delivery?: Delivery }[];
};
type TooSoon = ErrorBody & { error: { details: { retryAfter: string } } };

const MINUTE = 60_000;
let trainer: string;

beforeAll(async () => {
  trainer = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
});

afterEach(async () => {
  await resetClock();
});

async function register(training: Training, who: Person): Promise<Receipt> {
  const response = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** Everyone in `present` attends every session; the others none. Then the clock moves past the end. */
async function attendAndFinish(training: Training, present: Receipt[]): Promise<void> {
  for (const session of training.sessions) {
    await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
    const records = present.map(({ registrationId }) => ({ registrationId, status: 'present' }));
    const response = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, { token: trainer, body: { records } });
    expect(response.status, response.text).toBe(200);
  }
  await setClock(new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 60 * MINUTE));
}

async function close(training: Training): Promise<void> {
  const closed = await api('POST', `/api/trainings/${training.id}/close`, { token: trainer });
  expect(closed.status, closed.text).toBe(200);
}

async function progress(training: Training, token = trainer): Promise<Progress> {
  const response = await api<Progress>('GET', `/api/trainings/${training.id}/issuance`, { token });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function sesEvent(body: Record<string, unknown>): Promise<void> {
  const response = await api('POST', '/api/local/ses-events', { body });
  expect(response.status, response.text).toBe(200);
}

/**
 * Waits until the poller has handled everything written so far. A drain gives up after 15 s; a
 * closed cohort on a busy machine can take longer, so it is asked again (the wait, not the
 * assertions after it, is what may take longer).
 */
async function settle(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await drainStreams();
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

async function deadLetterCount(): Promise<number> {
  return (await api<{ items: unknown[] }>('GET', '/api/local/dead-letters')).body.items.length;
}

/** A cohort where everyone in `completers` attends all sessions and one more person attends none. */
async function closedCohort(completers: string[]) {
  const training = await publishTraining(trainer, trainingBody({ capacity: completers.length + 1, feedbackRequired: false }));
  const people = await Promise.all(completers.map((name) => newPerson(name)));
  const absent = await newPerson('Дәурен Өтепов');
  const receipts = [];
  for (const person of people) receipts.push(await register(training, person));
  await register(training, absent);
  await attendAndFinish(training, receipts);
  return { training, people, absent };
}

describe('certificate delivery', () => {
  it('shows the trainer each certificate and what became of its email, and sends one again on request', async () => {
    const { training, people, absent } = await closedCohort(['Әлия Құрманғазиева', 'Ботагөз Үсенова']);
    const [aliya, bota] = people as [Person, Person];
    await close(training);
    await settle();

    let view = await progress(training);
    expect(view.summary).toEqual({ participants: 3, issued: 2, notCompleted: 1, pending: 0, emailed: 2, bounced: 0, complained: 0 });
    const itemOf = (name: string) => view.items.find((item) => item.fullName === name)!;
    const { registrationId: _absentId, ...absentItem } = itemOf('Дәурен Өтепов');
    expect(absentItem).toEqual({ fullName: 'Дәурен Өтепов', outcome: 'not-completed' });
    const aliyaItem = itemOf('Әлия Құрманғазиева');
    expect(aliyaItem).toMatchObject({ outcome: 'issued', delivery: { status: 'sent' } });
    expect(aliyaItem.number).toMatch(/^DESTT-\d{4}-ALA-\d{6}$/);
    const aliyaCertificate = aliyaItem.certificateId!;
    const botaCertificate = itemOf('Ботагөз Үсенова').certificateId!;

    // Who may look: the trainer (above), the region's coordinators, admins; nobody else.
    const coordinator = await tokenFor({ ...uniqueAccount('admins'), groups: ['coordinators'], region: 'almaty' });
    const elsewhere = await tokenFor({ ...uniqueAccount('admins'), groups: ['coordinators'], region: 'astana' });
    const admin = await tokenFor(uniqueAccount('admins'));
    expect((await progress(training, coordinator)).summary.issued).toBe(2);
    expect((await progress(training, admin)).summary.issued).toBe(2);
    expect((await api('GET', `/api/trainings/${training.id}/issuance`, { token: elsewhere })).status).toBe(403);
    expect((await api('GET', `/api/trainings/${training.id}/issuance`, { token: (await newPerson('Бөтен', ['trainers'])).token })).status).toBe(403);
    expect((await api('GET', `/api/trainings/${training.id}/issuance`, { token: aliya.token })).status).toBe(403);

    // SES events through the same handler EventBridge would invoke: delivered, bounced.
    await sesEvent({ certificateId: aliyaCertificate, type: 'Delivery' });
    await sesEvent({ certificateId: botaCertificate, type: 'Bounce' });
    view = await progress(training);
    expect(itemOf('Әлия Құрманғазиева').delivery?.status).toBe('delivered');
    expect(itemOf('Ботагөз Үсенова').delivery?.status).toBe('bounced');
    expect(view.summary).toMatchObject({ emailed: 1, bounced: 1, complained: 0 });
    // An older event arriving late, and the same event again, change nothing.
    const bouncedAt = itemOf('Ботагөз Үсенова').delivery!.at;
    await sesEvent({ certificateId: botaCertificate, type: 'Delivery', at: new Date(Date.parse(bouncedAt) - 1000).toISOString() });
    await sesEvent({ certificateId: botaCertificate, type: 'Bounce', at: bouncedAt });
    view = await progress(training);
    expect(itemOf('Ботагөз Үсенова').delivery).toEqual({ status: 'bounced', at: bouncedAt });
    await sesEvent({ certificateId: aliyaCertificate, type: 'Complaint' });
    expect((await progress(training)).summary).toMatchObject({ emailed: 1, bounced: 1, complained: 1 });
    expect((await api('POST', '/api/local/ses-events', { body: { certificateId: 'nope', type: 'Delivery' } })).status).toBe(404);
    expect((await api('POST', '/api/local/ses-events', { body: { certificateId: botaCertificate, type: 'Opened' } })).status).toBe(400);

    // The bounced email sent again: 202, then one more email and 'sent' again.
    const resent = await api('POST', `/api/certificates/${botaCertificate}/resend`, { token: trainer });
    expect(resent.status, resent.text).toBe(202);
    expect(resent.body).toEqual({ certificateId: botaCertificate, status: 'queued' });
    // A second click within the cooldown is refused, saying when to try again.
    const again = await api<TooSoon>('POST', `/api/certificates/${botaCertificate}/resend`, { token: coordinator });
    expect(again.status, again.text).toBe(429);
    expect(again.body.error.reason).toBe('resend_too_soon');
    expect(again.body.error.message).toContain(again.body.error.details.retryAfter);
    await settle();
    expect(await emailsTo(bota.email, /Сертификатыңыз/)).toHaveLength(2);
    view = await progress(training);
    expect(itemOf('Ботагөз Үсенова').delivery?.status).toBe('sent');
    // The bounce of the first email, arriving after the resend, does not hide the new one.
    await sesEvent({ certificateId: botaCertificate, type: 'Bounce', at: bouncedAt });
    view = await progress(training);
    expect(itemOf('Ботагөз Үсенова').delivery?.status).toBe('sent');

    // After the cooldown, two requests at once: exactly one is accepted, one more email goes out.
    await setClock(new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 80 * MINUTE));
    const racing = await Promise.all([
      api('POST', `/api/certificates/${botaCertificate}/resend`, { token: trainer }),
      api('POST', `/api/certificates/${botaCertificate}/resend`, { token: admin }),
    ]);
    expect(racing.map((response) => response.status).sort()).toEqual([202, 429]);
    await settle();
    expect(await emailsTo(bota.email, /Сертификатыңыз/)).toHaveLength(3);

    // Who may resend, and what cannot be resent.
    expect((await api('POST', `/api/certificates/${aliyaCertificate}/resend`, { token: elsewhere })).status).toBe(403);
    expect((await api('POST', `/api/certificates/${aliyaCertificate}/resend`, { token: aliya.token })).status).toBe(403);
    expect((await api('POST', `/api/certificates/unknown-certificate/resend`, { token: admin })).status).toBe(404);
    expect(await emailsTo(aliya.email, /Сертификатыңыз/)).toHaveLength(1);
    expect(await emailsTo(absent.email, /Сертификатыңыз/)).toHaveLength(0);
  });

  it('recovers from a crash after the PDF is stored: one certificate, one PDF, one email each', async () => {
    const { training, people } = await closedCohort(['Нұрлан Қасымов', 'Гүлназ Әбдірова', 'Һадия Үсенова']);
    const deadLettersBefore = await deadLetterCount();
    const armed = await api('POST', '/api/local/faults', { body: { point: 'issuance.after-pdf-put', times: 1 } });
    expect(armed.status, armed.text).toBe(200);
    await close(training);
    await settle();

    const faults = await api<{ points: Record<string, { passed: number; thrown: number; armed: number }> }>('GET', '/api/local/faults');
    // One issuance crashed right after its put; the retry found that PDF and reused it (no second put).
    expect(faults.body.points['issuance.after-pdf-put']).toEqual({ armed: 0, thrown: 1, passed: 3 });
    const view = await progress(training);
    expect(view.summary).toMatchObject({ participants: 4, issued: 3, notCompleted: 1, pending: 0, emailed: 3 });
    expect(new Set(view.items.map((item) => item.number).filter(Boolean)).size).toBe(3);
    for (const person of people) {
      const emails = await emailsTo(person.email, /Сертификатыңыз/);
      expect(emails, person.name).toHaveLength(1);
      const certificateId = view.items.find((item) => item.fullName === person.name)!.certificateId!;
      const stored = await fetch(`${apiUrl()}/api/certificates/${certificateId}/pdf`, { headers: { authorization: `Bearer ${trainer}` } });
      expect(stored.status).toBe(200);
      const attached = emails[0]!.attachments.find((attachment) => attachment.filename?.endsWith('.pdf'))!;
      // The emailed PDF is the stored one, byte for byte (a second render would differ in its creation date).
      expect(Buffer.from(attached.content, 'base64').equals(Buffer.from(await stored.arrayBuffer()))).toBe(true);
    }
    expect(await deadLetterCount()).toBe(deadLettersBefore);
  });

  it('emails every certificate exactly once while SES throttles', async () => {
    const { training, people } = await closedCohort(['Айгерім Серікқызы', 'Мария Иванова']);
    const deadLettersBefore = await deadLetterCount();
    const proxy = inject('sesProxyUrl');
    // More refusals than one send's retries can absorb: at least one issuance fails and is retried by the stream.
    await fetch(`${proxy}/__throttle`, { method: 'POST', body: JSON.stringify({ count: 40 }) });
    await close(training);
    await settle();
    const state = (await (await fetch(`${proxy}/__throttle`)).json()) as { remaining: number; throttled: number };
    expect(state).toEqual({ remaining: 0, throttled: 40 });
    for (const person of people) expect(await emailsTo(person.email, /Сертификатыңыз/), person.name).toHaveLength(1);
    expect((await progress(training)).summary).toMatchObject({ issued: 2, emailed: 2, pending: 0 });
    expect(await deadLetterCount()).toBe(deadLettersBefore);
  });
});
