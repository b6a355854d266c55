import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Registration } from '../schemas/registration';
import type { Training } from '../schemas/training';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { registrationKeys, sweepKeys, trainingKeys } from './keys';
import { itemDecoder } from './items';
import { queryAll, queryPage, type Page } from './paging';
import { trainingFromItem, trainingIsPublishedCheck, trainingNotClosedCheck } from './trainings';
import { TransactionConditionFailed, transactWrite } from './transactions';

/** A registration with the queue ticket that orders the waitlist (internal, never returned). */
export interface StoredRegistration extends Registration {
  waitlistTicket?: number;
  promotedAt?: string;
  /** Set on every active registration when the training is cancelled; drives that email. */
  trainingCancelledAt?: string;
  /**
   * Set, in one transaction with the anonymous response, when this participant sent their
   * feedback: it drives completion and reminders. The response itself holds nothing that leads back
   * here (store/feedback).
   */
  feedbackSubmittedAt?: string;
  /**
   * Set on a confirmed participant who had not answered when the trainer closed the feedback form
   * early: closing early lifts the feedback requirement, so nobody loses a certificate to it.
   */
  feedbackWaivedAt?: string;
}

export interface SeatCounters {
  confirmed: number;
  waitlisted: number;
  /** Monotonic: the next waitlist ticket is this plus one. */
  waitlistTickets: number;
  /** Monotonic: how many have left the waitlist (promoted or withdrawn). */
  waitlistLeft: number;
}

export const registrationFromItem = itemDecoder<StoredRegistration>();

function toItem(registration: StoredRegistration): Record<string, unknown> {
  return {
    ...registrationKeys.item(registration.trainingId, registration.email),
    ...registrationKeys.byPerson(registration.email, registration.registeredAt, registration.trainingId),
    type: entityTypes.registration,
    ...registration,
  };
}

/** The stored item of a registration, for bulk writers (the synthetic seed). */
export const registrationItem = toItem;

/** Writes a registration; a person may register again after withdrawing, nothing else overwrites. */
function newRegistrationPut(registration: StoredRegistration) {
  return {
    Put: {
      TableName: tableName,
      Item: toItem(registration),
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled' },
    },
  };
}

export type SeatOutcome = 'confirmed' | 'full' | 'duplicate' | 'training_closed';

/** TransactWriteItems holds at most 100 items: the counter, the training check and these. */
export const SEATS_PER_TRANSACTION = 98;
export const QUEUE_PLACES_PER_TRANSACTION = 49;

/** What a transaction of several registrations did; `duplicates` names the people already registered. */
export type BatchOutcome<Done extends string> =
  | { outcome: Done }
  | { outcome: 'duplicate'; duplicates: readonly string[] }
  | { outcome: 'training_closed' };

/** The outcome of a batch of one, in the words of a single registration. */
function single<Done extends string>(result: BatchOutcome<Done>): Done | 'duplicate' | 'training_closed' {
  return result.outcome;
}

/**
 * Takes a seat and writes the registration in one transaction. A seat is only taken directly
 * while nobody waits: a seat freed by a withdrawal belongs to the head of the waitlist, so a
 * newcomer can never overtake it.
 */
export async function registerWithSeat(training: Training, registration: StoredRegistration): Promise<SeatOutcome> {
  return single(await registerWithSeats(training, [registration]));
}

/**
 * Takes `registrations.length` seats at once (an import): all of them or none, under the same
 * guards as one seat. DynamoDB conditions cannot add, so n seats fit when the counter is below
 * the capacity less the n - 1 other seats of the same transaction.
 */
export async function registerWithSeats(training: Training, registrations: readonly StoredRegistration[]): Promise<BatchOutcome<'confirmed' | 'full'>> {
  const count = registrations.length;
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.seats(training.id),
            UpdateExpression: 'SET confirmed = if_not_exists(confirmed, :zero) + :one, #type = :seats',
            ConditionExpression:
              '(attribute_not_exists(confirmed) OR confirmed < :capacity) AND (attribute_not_exists(waitlisted) OR waitlisted = :zero)',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':zero': 0, ':one': count, ':capacity': training.capacity - (count - 1), ':seats': entityTypes.seats },
          },
        },
        ...registrations.map(newRegistrationPut),
        trainingIsPublishedCheck(training.id),
      ],
    });
    return { outcome: 'confirmed' };
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    const duplicates = error.failedItems.flatMap((index) => (index >= 1 && index <= count ? [registrations[index - 1]!.email] : []));
    if (duplicates.length > 0) return { outcome: 'duplicate', duplicates };
    if (error.failedItems.includes(count + 1)) return { outcome: 'training_closed' };
    return { outcome: 'full' };
  }
}

/** Draws the next waitlist ticket: an atomic counter, so no two people share a place. */
export async function drawWaitlistTicket(trainingId: string): Promise<{ ticket: number; left: number }> {
  const { first, left } = await drawWaitlistTickets(trainingId, 1);
  return { ticket: first, left };
}

/**
 * Draws `count` consecutive tickets in one atomic step, so a block of people (an import) keeps
 * its own order in the queue whatever order their writes land in.
 */
export async function drawWaitlistTickets(trainingId: string, count: number): Promise<{ first: number; left: number }> {
  const { Attributes } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: registrationKeys.seats(trainingId),
      UpdateExpression: 'SET waitlistTickets = if_not_exists(waitlistTickets, :zero) + :count, #type = :seats',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':zero': 0, ':count': count, ':seats': entityTypes.seats },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { first: Number(Attributes?.waitlistTickets) - count + 1, left: Number(Attributes?.waitlistLeft ?? 0) };
}

export type WaitlistOutcome = 'waitlisted' | 'duplicate' | 'training_closed';

export async function registerOnWaitlist(
  training: Training,
  registration: StoredRegistration & { waitlistTicket: number },
): Promise<WaitlistOutcome> {
  return single(await registerManyOnWaitlist(training, [registration]));
}

/** Puts people on the waitlist at the tickets they drew, all of them or none. */
export async function registerManyOnWaitlist(
  training: Training,
  registrations: readonly (StoredRegistration & { waitlistTicket: number })[],
): Promise<BatchOutcome<'waitlisted'>> {
  const count = registrations.length;
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.seats(training.id),
            // Not marked for the sweeper: this item is the hot spot of a burst, and once marked every
            // update would also rewrite its index entry. A seat free while someone joins the queue
            // is filled by that join's stream record.
            UpdateExpression: 'SET waitlisted = if_not_exists(waitlisted, :zero) + :one',
            ExpressionAttributeValues: { ':zero': 0, ':one': count },
          },
        },
        ...registrations.flatMap((registration) => [
          newRegistrationPut(registration),
          {
            Put: {
              TableName: tableName,
              Item: {
                ...registrationKeys.waitlistEntry(training.id, registration.waitlistTicket),
                type: entityTypes.waitlistEntry,
                email: registration.email,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]),
        trainingIsPublishedCheck(training.id),
      ],
    });
    return { outcome: 'waitlisted' };
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    // Items 1, 3, 5… are the registrations, 2, 4, 6… their queue places.
    const duplicates = error.failedItems.flatMap((index) => (index % 2 === 1 && index <= 2 * count ? [registrations[(index - 1) / 2]!.email] : []));
    if (duplicates.length > 0) return { outcome: 'duplicate', duplicates };
    if (error.failedItems.includes(2 * count + 1)) return { outcome: 'training_closed' };
    throw error;
  }
}

export async function findRegistration(trainingId: string, email: string): Promise<StoredRegistration | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: registrationKeys.item(trainingId, email), ConsistentRead: true }),
  );
  return Item ? registrationFromItem(Item) : undefined;
}

/** The registrations of these people for one training, by email (strongly consistent: an import decides on it). */
export async function findRegistrations(trainingId: string, emails: readonly string[]): Promise<Map<string, StoredRegistration>> {
  const items = await batchGetAll(emails.map((email) => registrationKeys.item(trainingId, email)), { consistentRead: true, concurrency: 4 });
  return new Map(items.map((item) => registrationFromItem(item)).map((registration) => [registration.email, registration]));
}

export function readSeats(trainingId: string): Promise<SeatCounters> {
  return seatCounters(trainingId, true);
}

/** An eventually consistent look, for deciding which path to try first, never for a decision. */
export function peekSeats(trainingId: string): Promise<SeatCounters> {
  return seatCounters(trainingId, false);
}

export interface EnrolmentState {
  training: Training | undefined;
  registration: StoredRegistration | undefined;
  seats: SeatCounters;
}

/**
 * What a registration decides on — the training, the person's registration, the seat counters —
 * in one strongly consistent request: in a burst every request reads these three, and one round
 * trip instead of three is most of what DynamoDB is asked per registration.
 */
export async function readEnrolmentState(trainingId: string, email: string): Promise<EnrolmentState> {
  const wanted = { training: trainingKeys.item(trainingId), registration: registrationKeys.item(trainingId, email), seats: registrationKeys.seats(trainingId) };
  const items = await batchGetAll(Object.values(wanted), { consistentRead: true });
  const find = (key: { pk: string; sk: string }) => items.find((item) => item.pk === key.pk && item.sk === key.sk);
  const training = find(wanted.training);
  const registration = find(wanted.registration);
  return {
    training: training ? trainingFromItem(training) : undefined,
    registration: registration ? registrationFromItem(registration) : undefined,
    seats: seatCountersOf(find(wanted.seats)),
  };
}

async function seatCounters(trainingId: string, consistent: boolean): Promise<SeatCounters> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: registrationKeys.seats(trainingId), ConsistentRead: consistent }),
  );
  return seatCountersOf(Item);
}

function seatCountersOf(Item: Record<string, unknown> | undefined): SeatCounters {
  return {
    confirmed: Number(Item?.confirmed ?? 0),
    waitlisted: Number(Item?.waitlisted ?? 0),
    waitlistTickets: Number(Item?.waitlistTickets ?? 0),
    waitlistLeft: Number(Item?.waitlistLeft ?? 0),
  };
}

export type WithdrawOutcome = 'withdrawn' | 'changed' | 'training_closed';

/**
 * Withdraws a registration and gives back what it held — a seat, or a place in the queue — in
 * one transaction, guarded by the status it was read with and by the training not being closed
 * (a close a moment before wins). A freed seat marks the seat counters for the sweeper, so the
 * seat is filled even if the stream record that should fill it is lost.
 */
export async function withdrawRegistration(registration: StoredRegistration, now: string): Promise<WithdrawOutcome> {
  const { trainingId, email, status } = registration;
  const markCancelled = {
    Update: {
      TableName: tableName,
      Key: registrationKeys.item(trainingId, email),
      UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now REMOVE waitlistTicket',
      ConditionExpression: '#status = :expected',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': now, ':expected': status },
    },
  };
  const releaseSeat =
    status === 'confirmed'
      ? [
          {
            Update: {
              TableName: tableName,
              Key: registrationKeys.seats(trainingId),
              UpdateExpression: `SET confirmed = confirmed - :one, ${SEAT_MARK}`,
              ConditionExpression: 'confirmed > :zero',
              ExpressionAttributeValues: { ':one': 1, ':zero': 0, ...seatSweepMarker(trainingId, now) },
            },
          },
        ]
      : [
          {
            Update: {
              TableName: tableName,
              Key: registrationKeys.seats(trainingId),
              UpdateExpression: 'SET waitlisted = waitlisted - :one, waitlistLeft = if_not_exists(waitlistLeft, :zero) + :one',
              ConditionExpression: 'waitlisted > :zero',
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: registrationKeys.waitlistEntry(trainingId, registration.waitlistTicket ?? -1),
            },
          },
        ];
  const transactItems = [markCancelled, ...releaseSeat, trainingNotClosedCheck(trainingId)];
  try {
    await transactWrite({ TransactItems: transactItems });
    return 'withdrawn';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    return error.failedItems.includes(transactItems.length - 1) ? 'training_closed' : 'changed';
  }
}

/**
 * Marks the seat counters as possibly holding a free seat while people wait: in the sweep index
 * (due from the first mark) with a mark count, so the sweeper's clear loses to a newer mark.
 */
const SEAT_MARK = 'gsi3pk = :sweep, gsi3sk = if_not_exists(gsi3sk, :due), trainingId = :trainingId, sweepMarks = if_not_exists(sweepMarks, :zero) + :one';

function seatSweepMarker(trainingId: string, at: string) {
  const marker = sweepKeys.seats(at, trainingId);
  return { ':sweep': marker.gsi3pk, ':due': marker.gsi3sk, ':trainingId': trainingId };
}

/**
 * Takes the seat counters out of the sweep index after the sweeper filled what it could, unless
 * they were marked again since it read them (that mark is the next sweep's).
 */
export async function clearSeatMark(trainingId: string, marksSeen: number): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: registrationKeys.seats(trainingId),
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'sweepMarks = :seen',
        ExpressionAttributeValues: { ':seen': marksSeen },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Moves the head of the waitlist into a free seat, if there is both. Safe to run any number of
 * times and from several workers: each promotion is one transaction conditional on the seat
 * still being free and the person still waiting.
 */
export async function promoteHeadOfWaitlist(training: Training, now: string): Promise<StoredRegistration | undefined> {
  const seats = await readSeats(training.id);
  if (seats.waitlisted <= 0 || seats.confirmed >= training.capacity) return undefined;
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':partition': registrationKeys.trainingPartition(training.id),
        ':prefix': registrationKeys.waitlistPrefix,
      },
      ConsistentRead: true,
      Limit: 1,
    }),
  );
  const head = Items[0];
  if (!head) return undefined;
  const email = head.email as string;
  try {
    await transactWrite({
      TransactItems: [
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.seats(training.id),
            UpdateExpression:
              'SET confirmed = if_not_exists(confirmed, :zero) + :one, waitlisted = waitlisted - :one, waitlistLeft = if_not_exists(waitlistLeft, :zero) + :one',
            ConditionExpression: '(attribute_not_exists(confirmed) OR confirmed < :capacity) AND waitlisted > :zero',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':capacity': training.capacity },
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: { pk: head.pk as string, sk: head.sk as string },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.item(training.id, email),
            UpdateExpression: 'SET #status = :confirmed, confirmedAt = :now, promotedAt = :now REMOVE waitlistTicket',
            ConditionExpression: '#status = :waitlisted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':now': now },
          },
        },
        // Nobody is promoted into a training closed or cancelled a moment ago.
        trainingIsPublishedCheck(training.id),
      ],
    });
  } catch (error) {
    // Another worker promoted this person or took the seat first; the caller looks again.
    if (error instanceof TransactionConditionFailed) return undefined;
    throw error;
  }
  return findRegistration(training.id, email);
}

/** The place in the queue right now: those still waiting ahead, plus one. */
/**
 * The tickets of everyone still on the waitlist, in queue order (keys only): a whole stream batch
 * of people who joined the queue reads their places from one list rather than each counting the
 * queue ahead of them, which read the queue once per person.
 */
export async function waitingTickets(trainingId: string): Promise<number[]> {
  const entries = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': registrationKeys.trainingPartition(trainingId), ':prefix': registrationKeys.waitlistPrefix },
    ProjectionExpression: 'sk',
  });
  return entries.map((entry) => Number(String(entry.sk).slice(registrationKeys.waitlistPrefix.length)));
}

export async function currentWaitlistPosition(trainingId: string, ticket: number): Promise<number> {
  const { Count = 0 } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :partition AND sk BETWEEN :first AND :mine',
      ExpressionAttributeValues: {
        ':partition': registrationKeys.trainingPartition(trainingId),
        ':first': registrationKeys.waitlistEntry(trainingId, 0).sk,
        ':mine': registrationKeys.waitlistEntry(trainingId, ticket).sk,
      },
      Select: 'COUNT',
    }),
  );
  return Count;
}

export async function listRoster(trainingId: string, page: { limit: number; cursor?: string }): Promise<Page<StoredRegistration>> {
  return queryPage(
    {
      KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':partition': registrationKeys.trainingPartition(trainingId),
        ':prefix': registrationKeys.rosterPrefix,
      },
    },
    page,
    registrationFromItem,
  );
}

export async function listRegistrationsOfPerson(
  email: string,
  page: { limit: number; cursor?: string },
): Promise<Page<StoredRegistration>> {
  return queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':partition': registrationKeys.personPartition(email), ':prefix': registrationKeys.personPrefix },
      ScanIndexForward: false,
    },
    page,
    registrationFromItem,
  );
}

/**
 * Stamps every active registration of a cancelled training, one conditional update each, so the
 * stream turns each into its own small, retryable notification.
 */
export async function markTrainingCancelledForParticipants(trainingId: string, cancelledAt: string): Promise<number> {
  let marked = 0;
  let cursor: string | undefined;
  do {
    const page = await listRoster(trainingId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const registration of page.items) {
      if (registration.status === 'cancelled') continue;
      const updated = await documentClient
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: registrationKeys.item(trainingId, registration.email),
            UpdateExpression: 'SET trainingCancelledAt = :at',
            ConditionExpression: 'attribute_not_exists(trainingCancelledAt)',
            ExpressionAttributeValues: { ':at': cancelledAt },
          }),
        )
        .then(
          () => true,
          (error: unknown) => {
            if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
            throw error;
          },
        );
      if (updated) marked++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return marked;
}
