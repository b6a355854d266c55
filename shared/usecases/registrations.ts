import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { assertCancellable, assertNotOwnTraining, assertRegistrationOpen, canManageParticipants } from '../domain/registration';
import { publicView, type PublicTraining } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { newId } from '../ids';
import type { RegisterBody, Registration, RegistrationStatus } from '../schemas/registration';
import type { Training } from '../schemas/training';
import {
  currentWaitlistPosition,
  drawWaitlistTicket,
  drawWaitlistTickets,
  findRegistration,
  findRegistrations,
  listRegistrationsOfPerson,
  listRoster,
  peekSeats,
  QUEUE_PLACES_PER_TRANSACTION,
  readEnrolmentState,
  readSeats,
  registerManyOnWaitlist,
  registerOnWaitlist,
  registerWithSeat,
  registerWithSeats,
  SEATS_PER_TRANSACTION,
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

/** A registration as it is written when it takes a seat; the queue drops `confirmedAt`. */
function newRegistration(training: Training, person: Person, source: Registration['source'], now: string): StoredRegistration {
  return {
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
}

function waiting(registration: StoredRegistration, ticket: number): StoredRegistration & { waitlistTicket: number } {
  const { confirmedAt: _unused, ...rest } = registration;
  return { ...rest, status: 'waitlisted', waitlistTicket: ticket };
}

/**
 * Registers one person: a seat if one is free and nobody waits, otherwise the next place on the
 * waitlist. Both paths are single transactions, so a burst can neither overbook nor lose anyone.
 */
async function enrol(
  training: Training,
  person: Person,
  source: Registration['source'],
  /** The person's registration and the seat counters, when the caller has read them already. */
  known?: { existing: StoredRegistration | undefined; seats: SeatCounters },
): Promise<RegistrationReceipt> {
  assertNotOwnTraining(training, person);
  const existing = known ? known.existing : await findRegistration(training.id, person.email);
  if (existing && existing.status !== 'cancelled') throw alreadyRegistered(existing.status);

  const registration = newRegistration(training, person, source, clock.now().toISOString());
  // Once a training is full, most of a burst would only collide on the seat counter; a cheap
  // read sends them straight to the queue. The transaction still decides whenever a seat looks
  // free, and a seat that frees meanwhile goes to the head of the queue anyway.
  if (!looksFull(training, known?.seats ?? (await peekSeats(training.id)))) {
    const seat = await registerWithSeat(training, registration);
    if (seat === 'confirmed') return { registrationId: registration.registrationId, status: 'confirmed' };
    if (seat === 'duplicate') throw alreadyRegistered('confirmed');
    if (seat === 'training_closed') throw noLongerOpen();
  }

  const { ticket, left } = await drawWaitlistTicket(training.id);
  const queued = await registerOnWaitlist(training, waiting(registration, ticket));
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

/** Queue transactions in flight at once: their tickets were drawn beforehand, so order holds. */
const QUEUE_CONCURRENCY = 4;
/** Seat transactions that lost to concurrent registrations before the rest goes to the queue. */
const SEAT_ATTEMPTS = 20;

interface PendingRow {
  index: number;
  row: number;
  registration: StoredRegistration;
}

/**
 * Enrols a file's rows in the file's order, a transaction of up to 98 rows at a time, so a
 * 1,000-person cohort is one file: seats go to the first rows while seats are free and nobody
 * waits, each batch taking exactly as many seats as the counter still holds (the transaction's
 * condition, not the read, decides); the rest draw one block of consecutive tickets, so the
 * queue keeps the file's order whatever order the queue transactions land in.
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
  const refuse = (pending: PendingRow, error: ConflictError) => {
    results[pending.index] = rowError(pending.row, pending.registration.email, error);
  };

  const now = clock.now().toISOString();
  const candidates = rows.flatMap(({ row, value }, index) => (value ? [{ index, row, registration: newRegistration(training, value, 'import', now) }] : []));
  const existing = await findRegistrations(training.id, candidates.map(({ registration }) => registration.email));
  let pending = candidates.filter((candidate) => {
    const { email } = candidate.registration;
    try {
      assertNotOwnTraining(training, candidate.registration);
      const status = existing.get(email)?.status;
      if (status !== undefined && status !== 'cancelled') throw alreadyRegistered(status);
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      refuse(candidate, error);
      return false;
    }
  });
  /** Rows someone registered meanwhile (the transaction names them) are reported; the others go on. */
  const withoutTaken = (rowsLeft: readonly PendingRow[], duplicates: readonly string[]): PendingRow[] => {
    const taken = new Set(duplicates);
    for (const candidate of rowsLeft) if (taken.has(candidate.registration.email)) refuse(candidate, alreadyRegistered('confirmed'));
    return rowsLeft.filter((candidate) => !taken.has(candidate.registration.email));
  };

  for (let attempt = 0; pending.length > 0 && attempt < SEAT_ATTEMPTS; ) {
    const seats = await readSeats(training.id);
    const free = training.capacity - seats.confirmed;
    if (seats.waitlisted > 0 || free <= 0) break;
    const batch = pending.slice(0, Math.min(free, SEATS_PER_TRANSACTION));
    const result = await registerWithSeats(training, batch.map(({ registration }) => registration));
    if (result.outcome === 'confirmed') {
      for (const { index, row, registration } of batch) results[index] = { row, registrationId: registration.registrationId, status: 'confirmed' };
      pending = pending.slice(batch.length);
    } else if (result.outcome === 'duplicate') {
      pending = withoutTaken(pending, result.duplicates);
    } else if (result.outcome === 'training_closed') {
      for (const candidate of pending) refuse(candidate, noLongerOpen());
      pending = [];
    } else {
      attempt++;
    }
  }

  const queued = pending;
  if (queued.length > 0) {
    const { first, left } = await drawWaitlistTickets(training.id, queued.length);
    const ticketOf = new Map(queued.map((candidate, offset) => [candidate.index, first + offset]));
    const chunks: PendingRow[][] = [];
    for (let start = 0; start < queued.length; start += QUEUE_PLACES_PER_TRANSACTION) chunks.push(queued.slice(start, start + QUEUE_PLACES_PER_TRANSACTION));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        let chunk = chunks[next++]!;
        while (chunk.length > 0) {
          const result = await registerManyOnWaitlist(training, chunk.map(({ index, registration }) => waiting(registration, ticketOf.get(index)!)));
          if (result.outcome === 'waitlisted') {
            for (const { index, row, registration } of chunk) {
              results[index] = { row, registrationId: registration.registrationId, status: 'waitlisted', waitlistPosition: ticketOf.get(index)! - left };
            }
            break;
          }
          if (result.outcome === 'training_closed') {
            for (const candidate of chunk) refuse(candidate, noLongerOpen());
            break;
          }
          chunk = withoutTaken(chunk, result.duplicates);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(QUEUE_CONCURRENCY, chunks.length) }, worker));
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

function rowError(row: number, email: string, error: ConflictError): ImportResult {
  return {
    row,
    status: 'error',
    error:
      error.reason === 'already_registered'
        ? `row ${row}: ${email} is already registered for this training; remove the row or leave it as it is.`
        : `row ${row}: ${error.message}`,
  };
}
