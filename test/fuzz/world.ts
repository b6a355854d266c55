import fs from 'node:fs';
import path from 'node:path';
import { expect, inject } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import type { TokenRequest } from '../../local/tokens';
import { api, call, emailsTo, eventually, publishTraining, resetClock, runSchedule, setClock, tokenFor, trainingBody } from '../support/api';

/** A signed-in caller of the world: the token plus who they are, so a failure can name them. */
export interface Caller {
  label: string;
  identity: TokenRequest;
  token: string;
}

/**
 * Objects owned by one set of people, and people of every role who own none of them: what the
 * fuzz suite uses as "real" input and what the matrix uses to ask "may a stranger see this?".
 */
export interface World {
  owners: {
    trainer: Caller;
    coordinator: Caller;
    holder: Caller;
    admin: Caller;
  };
  strangers: {
    trainer: Caller;
    coordinator: Caller;
    teacher: Caller;
  };
  /** Closed, in Almaty, run by owners.trainer; owners.holder completed it. */
  closedTraining: Training;
  /** Published, in the future, same trainer and region. */
  openTrainings: Training[];
  registrationId: string;
  certificate: { id: string; number: string; verificationCode: string };
  statusListId: string;
  /** owners.holder's journal entry about the closed training, shared with its trainer. */
  journalEntryId: string;
  /** owners.holder's follow-up survey of the certificate (invited by the reminders job, 3 months on). */
  surveyId: string;
  /** Real cursors of real lists, to be truncated, replayed elsewhere and tampered with. */
  cursors: string[];
}

const MINUTE = 60_000;
let counter = 0;

async function caller(label: string, groups: TokenRequest['groups'], extra: Partial<TokenRequest> = {}): Promise<Caller> {
  counter += 1;
  const identity: TokenRequest = {
    email: `${label.replace(/\W+/g, '-')}-${Date.now()}-${counter}@fuzz.test.kz`,
    name: `Тест ${label}`,
    groups,
    ...extra,
  };
  return { label, identity, token: await tokenFor(identity) };
}

export async function buildWorld(): Promise<World> {
  const [trainer, coordinator, holder, admin, strangerTrainer, strangerCoordinator, strangerTeacher] = await Promise.all([
    caller('owning trainer', ['trainers']),
    caller('coordinator of almaty', ['coordinators'], { region: 'almaty' }),
    caller('certificate holder', ['teachers']),
    caller('admin', ['admins']),
    caller('another trainer', ['trainers']),
    caller('coordinator of astana', ['coordinators'], { region: 'astana' }),
    caller('another teacher', ['teachers']),
  ]);

  const training = await publishTraining(
    trainer.token,
    trainingBody({ capacity: 5, feedbackRequired: false, sessions: [trainingBody().sessions[0]] }),
  );
  const registration = await call('register', `/api/trainings/${training.id}/registrations`, {
    token: holder.token,
    body: { fullName: holder.identity.name },
  });
  expect(registration.status, registration.text).toBe(201);
  const session = training.sessions[0]!;
  try {
    await setClock(new Date(Date.parse(session.startsAt) + 30 * MINUTE));
    const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
      token: trainer.token,
      body: { records: [{ registrationId: registration.body.registrationId, status: 'present' }] },
    });
    expect(sheet.status, sheet.text).toBe(200);
    await setClock(new Date(Date.parse(session.endsAt) + 60 * MINUTE));
    const closed = await api<Training>('POST', `/api/trainings/${training.id}/close`, { token: trainer.token });
    expect(closed.status, closed.text).toBe(200);
  } finally {
    await resetClock();
  }
  const certificate = await eventually(
    async () => {
      const mine = await call('myCertificates', '/api/me/certificates',
        { token: holder.token },
      );
      const found = mine.body.items.find((item) => item.trainingId === training.id);
      return found && (await emailsTo(holder.identity.email)).some((email) => email.attachments.length > 0) ? found : undefined;
    },
    { timeoutMs: 45_000, what: 'the world certificate issued' },
  );
  const closedTraining = (await api<Training>('GET', `/api/trainings/${training.id}`)).body;

  const openTrainings = [
    await publishTraining(trainer.token, trainingBody({ capacity: 3 }, Date.now(), 20)),
    await publishTraining(trainer.token, trainingBody({ capacity: 3, language: 'ru' }, Date.now(), 30)),
  ];
  const cursors: string[] = [];
  for (const [listPath, token] of [
    ['/api/trainings?limit=1&region=almaty', undefined],
    ['/api/me/trainings?limit=1', trainer.token],
  ] as const) {
    const page = await api<{ nextCursor?: string }>('GET', listPath, token ? { token } : {});
    expect(page.status, page.text).toBe(200);
    expect(page.body.nextCursor, `${listPath} has a next page`).toBeTypeOf('string');
    cursors.push(page.body.nextCursor!);
  }

  const entry = await call('createJournalEntry', '/api/me/journal', {
    token: holder.token,
    body: { title: 'Рефлексия', text: 'Сабақтан кейінгі ойларым.', language: 'kk', trainingId: training.id },
  });
  expect(entry.status, entry.text).toBe(201);
  const shared = await api('PUT', `/api/me/journal/${entry.body.entryId}/share`, { token: holder.token, body: { shared: true } });
  expect(shared.status, shared.text).toBe(200);

  // The follow-up survey's invitation: the job run with the clock 3 months after the certificate.
  const issued = await api<{ items: { trainingId: string; issuedAt: string }[] }>('GET', '/api/me/certificates', { token: holder.token });
  const issuedAt = issued.body.items.find((item) => item.trainingId === training.id)!.issuedAt;
  const surveyAt = new Date(issuedAt);
  surveyAt.setUTCMonth(surveyAt.getUTCMonth() + 3);
  try {
    await setClock(new Date(surveyAt.getTime() + 60 * MINUTE));
    await runSchedule('reminders');
  } finally {
    await resetClock();
  }
  const surveyId = `3m-${certificate.id}`;
  expect((await api('GET', `/api/surveys/${surveyId}`, { token: holder.token })).status, 'the world survey invited').toBe(200);

  const [, year, regionCode] = certificate.number.split('-');
  return {
    owners: { trainer, coordinator, holder, admin },
    strangers: { trainer: strangerTrainer, coordinator: strangerCoordinator, teacher: strangerTeacher },
    closedTraining,
    openTrainings,
    registrationId: registration.body.registrationId,
    certificate: { id: certificate.id, number: certificate.number, verificationCode: certificate.verificationCode },
    statusListId: `${regionCode}-${year}`,
    journalEntryId: entry.body.entryId,
    surveyId,
    cursors,
  };
}

/** The local stack's JWT signing key, to mint tokens that are well signed but wrong in one claim. */
export function localJwtKey(): { privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> } {
  return JSON.parse(fs.readFileSync(path.join(inject('dataDirectory'), 'local-jwt-key.json'), 'utf8')) as {
    privateJwk: Record<string, unknown>;
    publicJwk: Record<string, unknown>;
  };
}
