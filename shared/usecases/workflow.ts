import { clock } from '../clock';
import { lastSessionEnd } from '../domain/training';
import { faultPoint } from '../faults';
import { sendEmailOnce } from '../mail/send-once';
import type { OutgoingEmail } from '../mail/client';
import { trainingPublishedEmail } from '../mail/templates';
import type { Training } from '../schemas/training';
import {
  currentWaitlistPosition,
  markTrainingCancelledForParticipants,
  promoteHeadOfWaitlist,
  waitingTickets,
  type StoredRegistration,
} from '../store/registrations';
import { findTraining } from '../store/trainings';
import type { FeedbackState } from '../store/feedback';
import { waiveFeedbackForNonResponders } from './feedback';
import { onLateFeedback } from './issuance';

/**
 * Runs independent effects of one change side by side: each is tried whatever happens to the
 * others (a seat never waits on an email), and the first failure is rethrown afterwards so the
 * record is retried; every effect is idempotent, so the retry redoes only what failed.
 */
export async function allEffects(effects: readonly (() => Promise<unknown>)[]): Promise<void> {
  const results = await Promise.allSettled(effects.map((effect) => effect()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** What the effects of a registration change read, and the seat filling they start. */
export interface RegistrationReads {
  training(trainingId: string): Promise<Training | undefined>;
  waitlistPosition(trainingId: string, ticket: number): Promise<number>;
  fillFreeSeats(training: Training): Promise<number>;
}

/** Each read made when asked: a single change (the sweeper's re-drive). */
export const directReads: RegistrationReads = {
  training: async (trainingId) => (await findTraining(trainingId))?.training,
  waitlistPosition: currentWaitlistPosition,
  fillFreeSeats: (training) => fillFreeSeats(training),
};

function once<T>(started: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let promise = started.get(key);
  if (!promise) {
    promise = start();
    started.set(key, promise);
  }
  return promise;
}

/**
 * The reads of one stream batch, each made once per training. Every record of a batch was
 * written before the batch was handed over, so a read or a seat filling started while handling
 * the batch already sees all of them: one filling serves everyone who joined the queue in the
 * batch, and one list of the queue gives each of them their place. A registration burst's batch
 * of 100 then reads the training, the seats and the queue once instead of 100 times.
 */
export function batchReads(): RegistrationReads {
  const trainings = new Map<string, Promise<Training | undefined>>();
  const fillings = new Map<string, Promise<number>>();
  const queues = new Map<string, Promise<number[]>>();
  return {
    training: (trainingId) => once(trainings, trainingId, () => directReads.training(trainingId)),
    fillFreeSeats: (training) => once(fillings, training.id, () => fillFreeSeats(training)),
    waitlistPosition: async (trainingId, ticket) => placeIn(await once(queues, trainingId, () => waitingTickets(trainingId)), ticket),
  };
}

/** How many of the waiting tickets (ascending) are this one or ahead of it. */
function placeIn(tickets: readonly number[], ticket: number): number {
  let low = 0;
  let high = tickets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (tickets[middle]! <= ticket) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The emails about one registration, by the prefix of their dedupe key: what each says, and the
 * state the registration must still be in for it to be true. The stream sends them as changes
 * happen; the sweeper sends one whose send never finished, if it is still true (workflow-sweep).
 */
/**
 * The builders, with the calendar invitations they attach (ical-generator), load with the first
 * registration email: the workflow, sweeper and reminder functions otherwise parse them at every
 * cold start, whatever the record or run is about.
 */
const builders = () => import('../mail/registration-emails');

export const registrationEmails = {
  'training-cancelled': {
    stillTrue: (registration: StoredRegistration) => registration.trainingCancelledAt !== undefined,
    compose: async (training: Training, registration: StoredRegistration) => (await builders()).trainingCancelledEmail(training, registration),
  },
  'registration-confirmed': {
    stillTrue: (registration: StoredRegistration) => registration.status === 'confirmed',
    compose: async (training: Training, registration: StoredRegistration) => (await builders()).registrationConfirmedEmail(training, registration),
  },
  'registration-waitlisted': {
    stillTrue: (registration: StoredRegistration) => registration.status === 'waitlisted',
    compose: async (training: Training, registration: StoredRegistration, reads: RegistrationReads) => {
      const waitlistPosition =
        registration.waitlistTicket === undefined ? undefined : await reads.waitlistPosition(training.id, registration.waitlistTicket);
      return (await builders()).registrationWaitlistedEmail(training, { ...registration, ...(waitlistPosition ? { waitlistPosition } : {}) });
    },
  },
  'registration-promoted': {
    stillTrue: (registration: StoredRegistration) => registration.status === 'confirmed',
    compose: async (training: Training, registration: StoredRegistration) => (await builders()).registrationPromotedEmail(training, registration),
  },
  'registration-cancelled': {
    stillTrue: (registration: StoredRegistration) => registration.status === 'cancelled',
    compose: async (training: Training, registration: StoredRegistration) => (await builders()).registrationCancelledEmail(training, registration),
  },
} satisfies Record<
  string,
  {
    stillTrue: (registration: StoredRegistration) => boolean;
    compose: (training: Training, registration: StoredRegistration, reads: RegistrationReads) => OutgoingEmail | Promise<OutgoingEmail>;
  }
>;

export type RegistrationEmailKind = keyof typeof registrationEmails;

/** One email about a registration, once, with its claim kept findable for the sweeper. */
export function sendRegistrationEmail(
  kind: RegistrationEmailKind,
  training: Training,
  registration: StoredRegistration,
  reads: RegistrationReads = directReads,
) {
  return sendEmailOnce(`${kind}#${registration.registrationId}`, () => registrationEmails[kind].compose(training, registration, reads), {
    redrive: { trainingId: training.id, email: registration.email },
  });
}

export const trainingPublishedKind = 'training-published';

export function sendTrainingPublishedEmail(training: Training) {
  return sendEmailOnce(`${trainingPublishedKind}#${training.id}`, () => trainingPublishedEmail(training), {
    redrive: { trainingId: training.id },
  });
}

/**
 * The effects of state changes seen on the table's stream. Every effect is keyed so that a
 * record delivered twice, or retried after a crash, changes nothing the second time.
 */
export async function onTrainingChanged(training: Training, previous: Training | undefined): Promise<void> {
  const effects: (() => Promise<unknown>)[] = [];
  if (training.status === 'published' && previous?.status !== 'published') {
    effects.push(() => sendTrainingPublishedEmail(training));
  }
  if (training.status === 'cancelled' && previous?.status !== 'cancelled') {
    // One stamp per participant; each stamp's own stream record sends that person's email.
    effects.push(() => markTrainingCancelledForParticipants(training.id, training.cancelledAt ?? clock.now().toISOString()));
  }
  await allEffects(effects);
}

/**
 * An early close of the feedback form lifts the feedback requirement of those who had not
 * answered; each waiver is conditional, so a replayed record waives nobody twice.
 */
export async function onFeedbackStateChanged(state: FeedbackState, previous: FeedbackState | undefined): Promise<void> {
  if (state.releaseReason === 'closed_early' && previous?.releasedAt === undefined) {
    await waiveFeedbackForNonResponders(state.trainingId);
  }
}

/**
 * Fills free seats from the head of the waitlist, one transaction per person (each guarded by
 * the training still being published). Once the last session has ended nobody is promoted: a
 * seat in a training that is over is no use to anyone (and the sessions of a published training
 * no longer change, so this read cannot go stale).
 */
export async function fillFreeSeats(training: Training): Promise<number> {
  if (training.status !== 'published') return 0;
  if (clock.nowMs() >= Date.parse(lastSessionEnd(training))) return 0;
  let promoted = 0;
  while (promoted < training.capacity && (await promoteHeadOfWaitlist(training, clock.now().toISOString()))) promoted++;
  return promoted;
}

export async function onRegistrationChanged(
  registration: StoredRegistration,
  previous: StoredRegistration | undefined,
  reads: RegistrationReads = directReads,
): Promise<void> {
  faultPoint('workflow.registration-changed');
  const training = await reads.training(registration.trainingId);
  if (!training) return;
  const id = registration.registrationId;
  const wasActive = previous !== undefined && previous.registrationId === id && previous.status !== 'cancelled';

  if (registration.trainingCancelledAt && !previous?.trainingCancelledAt) {
    await sendRegistrationEmail('training-cancelled', training, registration, reads);
    return;
  }

  if (
    (registration.feedbackSubmittedAt && !previous?.feedbackSubmittedAt) ||
    (registration.feedbackWaivedAt && !previous?.feedbackWaivedAt)
  ) {
    // Feedback after the close (or the requirement lifted by an early close) may complete the
    // participant: the certificate is issued now.
    await onLateFeedback(training, registration);
    return;
  }

  if (!wasActive && registration.status === 'confirmed') {
    await sendRegistrationEmail('registration-confirmed', training, registration, reads);
  } else if (!wasActive && registration.status === 'waitlisted') {
    await allEffects([
      // A seat may have freed between this person finding the training full and joining the queue.
      () => reads.fillFreeSeats(training),
      () => sendRegistrationEmail('registration-waitlisted', training, registration, reads),
    ]);
  } else if (previous?.status === 'waitlisted' && registration.status === 'confirmed') {
    await sendRegistrationEmail('registration-promoted', training, registration, reads);
  } else if (wasActive && registration.status === 'cancelled') {
    await allEffects([
      () => (previous.status === 'confirmed' ? reads.fillFreeSeats(training) : Promise.resolve(0)),
      () => sendRegistrationEmail('registration-cancelled', training, registration, reads),
    ]);
  }
}
