import { expect } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import { api, setClock, type Person } from './api';

const MINUTE = 60_000;

type Receipt = { registrationId: string };

/** Registers each participant, marks them present, gives feedback and closes the training. */
export async function completeTraining(training: Training, trainerToken: string, participants: { person: Person; language?: 'kk' | 'ru' | 'en' }[]): Promise<void> {
  const receipts: string[] = [];
  for (const { person, language } of participants) {
    const receipt = await api<Receipt>('POST', `/api/trainings/${training.id}/registrations`, {
      token: person.token,
      body: { fullName: person.name, ...(language ? { preferredLanguage: language } : {}) },
    });
    expect(receipt.status, receipt.text).toBe(201);
    receipts.push(receipt.body.registrationId);
  }
  const session = training.sessions[0]!;
  await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
  const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
    token: trainerToken,
    body: { records: receipts.map((registrationId) => ({ registrationId, status: 'present' })) },
  });
  expect(sheet.status, sheet.text).toBe(200);
  await setClock(new Date(Date.parse(session.endsAt) + 60 * MINUTE));
  for (const { person } of participants) {
    const feedback = await api('POST', `/api/trainings/${training.id}/feedback`, {
      token: person.token,
      body: { ratings: { overall: 4, relevance: 5, trainer: 5, materials: 4, recommend: 5 } },
    });
    expect(feedback.status, feedback.text).toBe(201);
  }
  const closed = await api('POST', `/api/trainings/${training.id}/close`, { token: trainerToken });
  expect(closed.status, closed.text).toBe(200);
}
