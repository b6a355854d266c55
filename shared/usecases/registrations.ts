import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { assertCancellable, assertNotOwnTraining, assertRegistrationOpen, canManageParticipants } from '../domain/registration';
import { publicView, type PublicTraining } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { newId } from '../ids';
import type { ImportRow, RegisterBody, Registration, RegistrationStatus } from '../schemas/registration';
import type { Training } from '../schemas/training';
import {
  currentWaitlistPosition,
  drawWaitlistTicket,
  drawWaitlistTickets,
  findRegistration,
  listRegistrationsOfPerson,
  listRoster,
  peekSeats,
  readEnrolmentState,
  registerOnWaitlist,
  registerWithSeat,
  withdrawRegistration,
  type SeatCounters,
  type StoredRegistration,
} from '../store/registrations';
import type { Page } from '../store/paging';
import { findTraining, findTrainings } from '../store/trainings';

export interface RegistrationReceipt {
  registrationId: string;
  status: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
}

interface Person {
  email: string;
  fullName: string;
  school?: string;
  preferredLanguage?: Registration['preferredLanguage'];
  userSub?: string;
}

function noSuchTraining(): NotFoundError {
  return new NotFoundError('No training has this id. Check the link, or find the training in the list.');
}

async function loadTraining(trainingId: string): Promise<Training> {
  const stored = await findTraining(trainingId);
  if (!stored) throw noSuchTraining();
  return stored.training;
}

function alreadyRegistered(status: RegistrationStatus): ConflictError {
  return new ConflictError(
    status === 'waitlisted'
      ? 'You are already on the waitlist for this training. You will get an email if a seat frees up.'
      : 'You are already registered for this training. Your registrations are under "My trainings".',
    'already_registered',
  );
}

function noLongerOpen(): ConflictError {
  return new ConflictError('This training stopped taking registrations a moment ago. Look for another one in the list.', 'not_open');
}

/**
 * Registers one person: a seat if one is free and nobody waits, otherwise the next place on the
 * waitlist. Both paths are single transactions, so a burst can neither overbook nor lose anyone.
 */
async function enrol(
  training: Training,
  person: Person,
  source: Registration['source'],
  /** A ticket drawn beforehand sends the person straight to the queue at that place. */
  preassigned?: { ticket: number; left: number },
  /** The person's registration and the seat counters, when the caller has read them already. */
  known?: { existing: StoredRegistration | undefined; seats: SeatCounters },
): Promise<RegistrationReceipt> {
  assertNotOwnTraining(training, person);
  const now = clock.now().toISOString();
  const existing = known ? known.existing : await findRegistration(training.id, person.email);
  if (existing && existing.status !== 'cancelled') throw alreadyRegistered(existing.status);

  const registration: StoredRegistration = {
    registrationId: newId(),
    trainingId: training.id,
    ...(person.userSub ? { userSub: person.userSub } : {}),
    email: person.email,
    fullName: person.fullName,
    ...(person.school ? { school: person.school } : {}),
    preferredLanguage: person.preferredLanguage ?? training.language,
    status: 'confirmed',
    registeredAt: now,
    confirmedAt: now,
    source,
  };
  // Once a training is full, most of a burst would only collide on the seat counter; a cheap
  // read sends them straight to the queue. The transaction still decides whenever a seat looks
  // free, and a seat that frees meanwhile goes to the head of the queue anyway.
  if (!preassigned && !looksFull(training, known?.seats ?? (await peekSeats(training.id)))) {
    const seat = await registerWithSeat(training, registration);
    if (seat === 'confirmed') return { registrationId: registration.registrationId, status: 'confirmed' };
    if (seat === 'duplicate') throw alreadyRegistered('confirmed');
    if (seat === 'training_closed') throw noLongerOpen();
  }

  const { ticket, left } = preassigned ?? (await drawWaitlistTicket(training.id));
  const { confirmedAt: _unused, ...waiting } = registration;
  const queued = await registerOnWaitlist(training, { ...waiting, status: 'waitlisted', waitlistTicket: ticket });
  if (queued === 'duplicate') throw alreadyRegistered('waitlisted');
  if (queued === 'training_closed') throw noLongerOpen();
  // Everyone who drew a ticket before this one and has not left is ahead in the queue.
  return { registrationId: registration.registrationId, status: 'waitlisted', waitlistPosition: ticket - left };
}

function looksFull(training: Training, seats: SeatCounters): boolean {
  return seats.confirmed >= training.capacity || seats.waitlisted > 0;
}

export async function registerSelf(principal: Principal, trainingId: string, body: RegisterBody): Promise<RegistrationReceipt> {
  const email = principal.email.toLowerCase();
  const { training, registration, seats } = await readEnrolmentState(trainingId, email);
  if (!training) throw noSuchTraining();
  assertRegistrationOpen(training, clock.now());
  return enrol(
    training,
    {
      email,
      userSub: principal.sub,
      fullName: body.fullName,
      ...(body.school ? { school: body.school } : {}),
      ...(body.preferredLanguage ? { preferredLanguage: body.preferredLanguage } : {}),
    },
    'self',
    undefined,
    { existing: registration, seats },
  );
}

export async function withdrawSelf(principal: Principal, trainingId: string): Promise<{ registrationId: string; status: 'cancelled' }> {
  const training = await loadTraining(trainingId);
  assertCancellable(training);
  const email = principal.email.toLowerCase();
  // A promotion may change the status between the read and the write; the write is guarded by
  // the status read, so read again and retry rather than release the wrong thing.
  for (let attempt = 0; attempt < 3; attempt++) {
    const registration = await findRegistration(trainingId, email);
    if (!registration || registration.status === 'cancelled') {
      throw new NotFoundError('You have no active registration for this training, so there is nothing to cancel.');
    }
    const outcome = await withdrawRegistration(registration, clock.now().toISOString());
    if (outcome === 'withdrawn') return { registrationId: registration.registrationId, status: 'cancelled' };
    // Closed between the read and the write: answered as if it had been closed before.
    if (outcome === 'training_closed') assertCancellable({ ...training, status: 'closed' });
  }
  throw new ConflictError('Your registration changed while cancelling it. Reload the page and try again.', 'concurrent_update');
}

export type RosterEntry = Omit<StoredRegistration, 'waitlistTicket'>;

function withoutTicket(registration: StoredRegistration): RosterEntry {
  const { waitlistTicket: _ticket, ...entry } = registration;
  return entry;
}

async function withPosition(registration: StoredRegistration): Promise<RosterEntry> {
  if (registration.status !== 'waitlisted' || registration.waitlistTicket === undefined) return withoutTicket(registration);
  const waitlistPosition = await currentWaitlistPosition(registration.trainingId, registration.waitlistTicket);
  return { ...withoutTicket(registration), waitlistPosition };
}

export async function roster(
  principal: Principal,
  trainingId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<RosterEntry>> {
  const training = await loadTraining(trainingId);
  if (!canManageParticipants(principal, training)) {
    throw new ForbiddenError(
      'Only the training\'s trainer, a coordinator of its region or an administrator can see its participants.',
    );
  }
  const result = await listRoster(trainingId, page);
  return { ...result, items: await Promise.all(result.items.map(withPosition)) };
}

/**
 * The caller's registrations, each with its training (public view), so "My trainings" is one
 * request: one Query and one BatchGet, not a request per registration.
 */
export async function myRegistrations(
  principal: Principal,
  page: { limit: number; cursor?: string },
): Promise<Page<Pick<Registration, 'registrationId' | 'trainingId' | 'status' | 'waitlistPosition' | 'registeredAt'> & { training?: PublicTraining }>> {
  const result = await listRegistrationsOfPerson(principal.email.toLowerCase(), page);
  const [items, trainings] = await Promise.all([
    Promise.all(result.items.map(withPosition)),
    findTrainings(result.items.map((registration) => registration.trainingId)),
  ]);
  // A draft stays its trainer's, as on the training's own page.
  const byId = new Map([...trainings.values()].filter((training) => training.status !== 'draft').map((training) => [training.id, publicView(training)]));
  return {
    ...result,
    items: items.map(({ registrationId, trainingId, status, registeredAt, waitlistPosition }) => ({
      registrationId,
      trainingId,
      status,
      registeredAt,
      ...(waitlistPosition ? { waitlistPosition } : {}),
      ...(byId.has(trainingId) ? { training: byId.get(trainingId)! } : {}),
    })),
  };
}

export interface ImportResult {
  row: number;
  status: 'confirmed' | 'waitlisted' | 'error';
  registrationId?: string;
  waitlistPosition?: number;
  error?: string;
}

/** Queued rows are written a few at a time: quick enough for 2,000 rows within the API's time limit. */
const IMPORT_CONCURRENCY = 8;

/**
 * Enrols a file's rows in the file's order: seats go to the first rows, one at a time, while
 * seats look free; the rest draw one block of consecutive tickets, so the queue keeps the
 * file's order too, and are then written concurrently.
 */
export async function importRegistrations(
  principal: Principal,
  trainingId: string,
  csv: string,
): Promise<{ results: ImportResult[]; summary: Record<ImportResult['status'], number> }> {
  const training = await loadTraining(trainingId);
  if (!canManageParticipants(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer, a coordinator of its region or an administrator can import participants.');
  }
  assertRegistrationOpen(training, clock.now());
  // csv-parse loads for an import only, not in the other registration routes.
  const { parseRegistrationCsv } = await import('../registration/csv-import');
  const { rows } = parseRegistrationCsv(csv);
  const results: ImportResult[] = rows.map(({ row, error }) => ({ row, status: 'error', error: error ?? 'invalid row' }));

  let next = 0;
  for (; next < rows.length; next++) {
    const { row, value } = rows[next]!;
    if (!value) continue;
    if (looksFull(training, await peekSeats(training.id))) break;
    results[next] = await importOne(training, row, value);
  }

  const queued = rows.map((row, index) => ({ ...row, index })).slice(next).filter((row) => row.value !== undefined);
  if (queued.length > 0) {
    const { first, left } = await drawWaitlistTickets(training.id, queued.length);
    let cursor = 0;
    const worker = async () => {
      while (cursor < queued.length) {
        const offset = cursor++;
        const { row, value, index } = queued[offset]!;
        results[index] = await importOne(training, row, value!, { ticket: first + offset, left });
      }
    };
    await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, worker));
    // Tickets of rows that failed stay unused; nobody stands behind a gap.
    let skipped = 0;
    for (const { index } of queued) {
      const result = results[index]!;
      if (result.status === 'waitlisted' && result.waitlistPosition !== undefined) result.waitlistPosition -= skipped;
      else if (result.status === 'error') skipped++;
    }
  }

  const summary = { confirmed: 0, waitlisted: 0, error: 0 };
  for (const result of results) summary[result.status]++;
  return { results, summary };
}

async function importOne(
  training: Training,
  row: number,
  person: ImportRow,
  preassigned?: { ticket: number; left: number },
): Promise<ImportResult> {
  try {
    const receipt = await enrol(training, person, 'import', preassigned);
    return { row, ...receipt };
  } catch (error) {
    if (error instanceof ConflictError) {
      return {
        row,
        status: 'error',
        error:
          error.reason === 'already_registered'
            ? `row ${row}: ${person.email} is already registered for this training; remove the row or leave it as it is.`
            : `row ${row}: ${error.message}`,
      };
    }
    throw error;
  }
}
