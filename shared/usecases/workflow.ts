import { clock } from '../clock';
import { sendEmailOnce } from '../mail/send-once';
import {
  registrationCancelledEmail,
  registrationConfirmedEmail,
  registrationPromotedEmail,
  registrationWaitlistedEmail,
  trainingCancelledEmail,
} from '../mail/registration-emails';
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
 * The effects of state changes seen on the table's stream. Every effect is keyed so that a
 * record delivered twice, or retried after a crash, changes nothing the second time.
 */
export async function onTrainingChanged(training: Training, previous: Training | undefined): Promise<void> {
  if (training.status === 'published' && previous?.status !== 'published') {
    await sendEmailOnce(`training-published#${training.id}`, () => trainingPublishedEmail(training));
  }
  if (training.status === 'cancelled' && previous?.status !== 'cancelled') {
    // One stamp per participant; each stamp's own stream record sends that person's email.
    await markTrainingCancelledForParticipants(training.id, training.cancelledAt ?? clock.now().toISOString());
  }
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

/** Fills free seats from the head of the waitlist, one transaction per person. */
export async function fillFreeSeats(training: Training): Promise<number> {
  if (training.status !== 'published') return 0;
  let promoted = 0;
  while (promoted < training.capacity && (await promoteHeadOfWaitlist(training, clock.now().toISOString()))) promoted++;
  return promoted;
}

export async function onRegistrationChanged(
  registration: StoredRegistration,
  previous: StoredRegistration | undefined,
): Promise<void> {
  const stored = await findTraining(registration.trainingId);
  if (!stored) return;
  const { training } = stored;
  const id = registration.registrationId;
  const wasActive = previous !== undefined && previous.registrationId === id && previous.status !== 'cancelled';

  if (registration.trainingCancelledAt && !previous?.trainingCancelledAt) {
    await sendEmailOnce(`training-cancelled#${id}`, () => trainingCancelledEmail(training, registration));
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
    await sendEmailOnce(`registration-confirmed#${id}`, () => registrationConfirmedEmail(training, registration));
  } else if (!wasActive && registration.status === 'waitlisted') {
    await sendEmailOnce(`registration-waitlisted#${id}`, async () => {
      const waitlistPosition =
        registration.waitlistTicket === undefined
          ? undefined
          : await currentWaitlistPosition(training.id, registration.waitlistTicket);
      return registrationWaitlistedEmail(training, { ...registration, ...(waitlistPosition ? { waitlistPosition } : {}) });
    });
    // A seat may have freed between this person finding the training full and joining the queue.
    await fillFreeSeats(training);
  } else if (previous?.status === 'waitlisted' && registration.status === 'confirmed') {
    await sendEmailOnce(`registration-promoted#${id}`, () => registrationPromotedEmail(training, registration));
  } else if (wasActive && registration.status === 'cancelled') {
    await sendEmailOnce(`registration-cancelled#${id}`, () => registrationCancelledEmail(training, registration));
    if (previous.status === 'confirmed') await fillFreeSeats(training);
  }
}
