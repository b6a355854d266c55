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
    compose: async (training: Training, registration: StoredRegistration) => {
      const waitlistPosition =
        registration.waitlistTicket === undefined ? undefined : await currentWaitlistPosition(training.id, registration.waitlistTicket);
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
    compose: (training: Training, registration: StoredRegistration) => OutgoingEmail | Promise<OutgoingEmail>;
  }
>;

export type RegistrationEmailKind = keyof typeof registrationEmails;

/** One email about a registration, once, with its claim kept findable for the sweeper. */
export function sendRegistrationEmail(kind: RegistrationEmailKind, training: Training, registration: StoredRegistration) {
  return sendEmailOnce(`${kind}#${registration.registrationId}`, () => registrationEmails[kind].compose(training, registration), {
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
): Promise<void> {
  faultPoint('workflow.registration-changed');
  const stored = await findTraining(registration.trainingId);
  if (!stored) return;
  const { training } = stored;
  const id = registration.registrationId;
  const wasActive = previous !== undefined && previous.registrationId === id && previous.status !== 'cancelled';

  if (registration.trainingCancelledAt && !previous?.trainingCancelledAt) {
    await sendRegistrationEmail('training-cancelled', training, registration);
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
    await sendRegistrationEmail('registration-confirmed', training, registration);
  } else if (!wasActive && registration.status === 'waitlisted') {
    await allEffects([
      // A seat may have freed between this person finding the training full and joining the queue.
      () => fillFreeSeats(training),
      () => sendRegistrationEmail('registration-waitlisted', training, registration),
    ]);
  } else if (previous?.status === 'waitlisted' && registration.status === 'confirmed') {
    await sendRegistrationEmail('registration-promoted', training, registration);
  } else if (wasActive && registration.status === 'cancelled') {
    await allEffects([
      () => (previous.status === 'confirmed' ? fillFreeSeats(training) : Promise.resolve(0)),
      () => sendRegistrationEmail('registration-cancelled', training, registration),
    ]);
  }
}
