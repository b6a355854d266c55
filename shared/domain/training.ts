/**
 * Scheduling rules of a training: pure functions over plain data, no I/O. The clock and the id
 * generator come in as arguments so every rule can be tested at any instant.
 */
import { ConflictError, ForbiddenError, ValidationError, type FieldErrors } from '../errors';
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import type {
  CreateTrainingInput,
  Training,
  TrainingSession,
  UpdateTrainingInput,
} from '../schemas/training';
import { almatyMessageTime } from '../locale/almaty';

type SessionInput = CreateTrainingInput['sessions'][number];

const MS_PER_HOUR = 3_600_000;

export function sessionHours(session: Pick<TrainingSession, 'startsAt' | 'endsAt'>): number {
  return (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / MS_PER_HOUR;
}

/** All planned hours: the sum of the sessions' durations, the base of the completion rule. */
export function plannedHours(sessions: readonly Pick<TrainingSession, 'startsAt' | 'endsAt'>[]): number {
  return sessions.reduce((total, session) => total + sessionHours(session), 0);
}

export function firstSessionStart(training: Pick<Training, 'sessions'>): string {
  return [...training.sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0]!.startsAt;
}

export function lastSessionEnd(training: Pick<Training, 'sessions'>): string {
  return [...training.sessions].sort((a, b) => Date.parse(b.endsAt) - Date.parse(a.endsAt))[0]!.endsAt;
}

/** Normalizes an instant to UTC ISO form so stored values sort and compare as strings. */
function toUtc(instant: string): string {
  return new Date(instant).toISOString();
}

/**
 * Field-level problems of a schedule: sessions that end before they start, sessions that
 * overlap, and a registration deadline after the training has begun.
 */
export function scheduleProblems(
  sessions: readonly SessionInput[],
  registrationClosesAt?: string,
): FieldErrors {
  const problems: FieldErrors = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);

  sessions.forEach((session, index) => {
    if (Date.parse(session.endsAt) <= Date.parse(session.startsAt)) {
      add(`sessions.${index}.endsAt`, 'must be after startsAt');
    }
    if (sessionHours(session) > 24) {
      add(`sessions.${index}.endsAt`, 'a session may last at most 24 hours; split longer ones');
    }
  });

  const ordered = sessions
    .map((session, index) => ({ session, index }))
    .sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt));
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const current = ordered[i]!;
    if (Date.parse(current.session.startsAt) < Date.parse(previous.session.endsAt)) {
      add(
        `sessions.${current.index}.startsAt`,
        `overlaps session ${previous.index + 1}; a session must start after the previous one ends`,
      );
    }
  }

  const ids = sessions.map((session) => session.id).filter((id): id is string => id !== undefined);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) add('sessions', `session id ${id} appears twice`);
  });

  if (registrationClosesAt !== undefined && sessions.length > 0) {
    const lastEnd = Math.max(...sessions.map((session) => Date.parse(session.endsAt)));
    if (Date.parse(registrationClosesAt) >= lastEnd) {
      add('registrationClosesAt', 'must be before the last session ends');
    }
  }
  return problems;
}

function assertValidSchedule(sessions: readonly SessionInput[], registrationClosesAt?: string): void {
  const problems = scheduleProblems(sessions, registrationClosesAt);
  if (Object.keys(problems).length > 0) {
    throw new ValidationError('The schedule has problems. Correct the sessions listed and send it again.', problems);
  }
}

function buildSessions(
  sessions: readonly SessionInput[],
  existing: readonly TrainingSession[],
  newId: () => string,
): TrainingSession[] {
  const known = new Set(existing.map((session) => session.id));
  const unknown = sessions.findIndex((session) => session.id !== undefined && !known.has(session.id));
  if (unknown >= 0) {
    throw new ValidationError('A session refers to an id this training does not have. Omit the id to add a new session.', {
      [`sessions.${unknown}.id`]: ['is not a session of this training'],
    });
  }
  return sessions
    .map((session) => ({
      id: session.id ?? newId(),
      startsAt: toUtc(session.startsAt),
      endsAt: toUtc(session.endsAt),
      ...(session.venue ? { venue: session.venue } : {}),
      ...(session.onlineUrl ? { onlineUrl: session.onlineUrl } : {}),
    }))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

export function createTraining(
  input: CreateTrainingInput,
  trainer: Principal,
  now: Date,
  newId: () => string,
): Training {
  assertValidSchedule(input.sessions, input.registrationClosesAt);
  const timestamp = now.toISOString();
  return {
    id: newId(),
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    topic: input.topic,
    language: input.language,
    region: input.region,
    level: input.level,
    hours: input.hours,
    ...(input.ects !== undefined ? { ects: input.ects } : {}),
    capacity: input.capacity,
    sessions: buildSessions(input.sessions, [], newId),
    ...(input.registrationClosesAt ? { registrationClosesAt: toUtc(input.registrationClosesAt) } : {}),
    completionThreshold: input.completionThreshold,
    feedbackRequired: input.feedbackRequired,
    ...(input.renewsLevel ? { renewsLevel: true } : {}),
    status: 'draft',
    trainer: { sub: trainer.sub, name: trainer.name, email: trainer.email },
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}

/** The trainer who owns the training, or an admin. */
export function canEdit(principal: Principal, training: Pick<Training, 'trainer'>): boolean {
  return hasRole(principal, 'admins') || training.trainer.sub === principal.sub;
}

/** The trainer, an admin, or a coordinator of the training's region. */
export function canOversee(principal: Principal, training: Pick<Training, 'trainer' | 'region'>): boolean {
  return canEdit(principal, training) || coordinatesRegion(principal, training.region);
}

function assertCanEdit(principal: Principal, training: Training): void {
  if (!canEdit(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer or an administrator can change it. Ask them to make the change.');
  }
}

export function updateTraining(
  training: Training,
  patch: UpdateTrainingInput,
  principal: Principal,
  now: Date,
  newId: () => string,
): Training {
  assertCanEdit(principal, training);
  if (training.status !== 'draft') {
    throw new ConflictError(
      `This training is ${training.status}; only drafts can be edited. Cancel it and create a new one if the plan changed.`,
      'not_draft',
    );
  }
  const sessions = patch.sessions ?? training.sessions;
  const registrationClosesAt =
    patch.registrationClosesAt === null ? undefined : (patch.registrationClosesAt ?? training.registrationClosesAt);
  assertValidSchedule(sessions, registrationClosesAt);

  const { description, ects, registrationClosesAt: _closes, sessions: _sessions, ...rest } = patch;
  const next: Training = {
    ...training,
    ...rest,
    sessions: patch.sessions ? buildSessions(patch.sessions, training.sessions, newId) : training.sessions,
    updatedAt: now.toISOString(),
  };
  if (description === null) delete next.description;
  else if (description !== undefined) next.description = description;
  if (ects === null) delete next.ects;
  else if (ects !== undefined) next.ects = ects;
  if (registrationClosesAt === undefined) delete next.registrationClosesAt;
  else next.registrationClosesAt = toUtc(registrationClosesAt);
  return next;
}

export function publishTraining(training: Training, principal: Principal, now: Date): Training {
  assertCanEdit(principal, training);
  if (training.status !== 'draft') {
    throw new ConflictError(`This training is already ${training.status}; only a draft can be published.`, 'not_draft');
  }
  const past = training.sessions.findIndex((session) => Date.parse(session.startsAt) <= now.getTime());
  if (past >= 0) {
    throw new ValidationError(
      'Every session must be in the future when the training is published. Move or remove the sessions listed.',
      { [`sessions.${past}.startsAt`]: ['is not in the future'] },
    );
  }
  if (training.registrationClosesAt && Date.parse(training.registrationClosesAt) <= now.getTime()) {
    throw new ValidationError('Registration would already be closed. Set a later registrationClosesAt or remove it.', {
      registrationClosesAt: ['is not in the future'],
    });
  }
  const timestamp = now.toISOString();
  return { ...training, status: 'published', publishedAt: timestamp, updatedAt: timestamp };
}

export function cancelTraining(training: Training, principal: Principal, now: Date, reason?: string): Training {
  if (!canOversee(principal, training)) {
    throw new ForbiddenError(
      'Only the training\'s trainer, a coordinator of its region or an administrator can cancel it.',
    );
  }
  if (training.status === 'cancelled') {
    throw new ConflictError('This training is already cancelled.', 'already_cancelled');
  }
  if (training.status === 'closed') {
    throw new ConflictError('This training is closed and its results are final; it can no longer be cancelled.', 'closed');
  }
  const timestamp = now.toISOString();
  return {
    ...training,
    status: 'cancelled',
    cancelledAt: timestamp,
    updatedAt: timestamp,
    ...(reason ? { cancellationReason: reason } : {}),
  };
}

/** Drafts are visible only to those who may edit or oversee them. */
export function isVisibleTo(training: Training, principal: Principal | undefined): boolean {
  if (training.status !== 'draft') return true;
  return principal !== undefined && canOversee(principal, training);
}

export type PublicTraining = Omit<Training, 'trainer'> & { trainer: { name: string } };

/** What anyone may see: the trainer's name, but not their email or account id. */
export function publicView(training: Training): PublicTraining {
  return { ...training, trainer: { name: training.trainer.name } };
}

/** Those who run or oversee a training see it whole; everyone else sees the public view. */
export function viewFor(training: Training, principal: Principal | undefined): Training | PublicTraining {
  return principal !== undefined && canOversee(principal, training) ? training : publicView(training);
}

/**
 * Closing makes a training's results final: allowed to its trainer (or an admin) once the last
 * session has ended. Certificates are issued from the closed state.
 */
export function closeTraining(training: Training, principal: Principal, now: Date): Training {
  assertCanEdit(principal, training);
  switch (training.status) {
    case 'closed':
      throw new ConflictError('This training is already closed; its certificates have been issued.', 'already_closed');
    case 'cancelled':
      throw new ConflictError('This training was cancelled, so there is nothing to close.', 'cancelled');
    case 'draft':
      throw new ConflictError('This training is still a draft; only a published training that has taken place can be closed.', 'not_published');
    case 'published':
      break;
  }
  const lastEnd = lastSessionEnd(training);
  if (now.getTime() < Date.parse(lastEnd)) {
    throw new ConflictError(
      `The last session has not ended yet (it ends at ${almatyMessageTime(lastEnd)}). Close the training after that.`,
      'sessions_not_over',
      undefined,
      { closableFrom: lastEnd },
    );
  }
  const timestamp = now.toISOString();
  return { ...training, status: 'closed', closedAt: timestamp, updatedAt: timestamp };
}

