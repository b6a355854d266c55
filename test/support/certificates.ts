import { expect } from 'vitest';
import { setClock as setLocalClock } from '../../shared/clock';
import type { Training } from '../../shared/schemas/training';
import { api, call, emailsTo, eventually, publishTraining, setClock, trainingBody, type Person } from './api';

export type MyCertificates = { items: { id: string; trainingId: string; number: string; verificationCode: string; status: string }[] };

const MINUTE = 60_000;
/** The stream may still be busy with an earlier file's hundreds of emails on a shared 2-core machine. */
export const ISSUE_WAIT_MS = 45_000;

/**
 * A training of `trainer` that `people` registered for, attended and completed, closed, with each
 * one's certificate issued and its PDF in the bucket. Leaves the stack's clock (and this process's)
 * after the last session: the caller's afterEach resets them.
 */
export async function issuedCertificates(trainer: string, people: Person[]): Promise<MyCertificates['items']> {
  const training = await publishTraining(trainer, trainingBody({ capacity: people.length, feedbackRequired: false }));
  const receipts = [];
  for (const person of people) {
    const response = await call('register', `/api/trainings/${training.id}/registrations`, {
      token: person.token,
      body: { fullName: person.name },
    });
    expect(response.status, response.text).toBe(201);
    receipts.push(response.body);
  }
  for (const session of training.sessions) {
    await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
    const records = receipts.map(({ registrationId }) => ({ registrationId, status: 'present' }));
    const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, { token: trainer, body: { records } });
    expect(sheet.status, sheet.text).toBe(200);
  }
  const after = new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 60 * MINUTE);
  await setClock(after);
  setLocalClock(after);
  const closed = await api<Training>('POST', `/api/trainings/${training.id}/close`, { token: trainer });
  expect(closed.status, closed.text).toBe(200);
  return Promise.all(
    people.map((person) =>
      eventually(
        async () => {
          const mine = await api<MyCertificates>('GET', '/api/me/certificates', { token: person.token });
          const found = mine.body.items.find((item) => item.trainingId === training.id);
          if (!found) return undefined;
          // The PDF is in the bucket once the certificate email is out.
          return (await emailsTo(person.email, /Сертификатыңыз/)).length > 0 ? found : undefined;
        },
        { timeoutMs: ISSUE_WAIT_MS, what: 'certificate issued' },
      ),
    ),
  );
}
