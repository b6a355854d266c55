/**
 * Feedback: the form, a participant's submission and the summary.
 *
 * Nothing here logs: answers are someone's words and a submission is someone's act. The response
 * is written without identity (store/feedback); the summary returns counts, means and each
 * question's answers on their own, never a whole response.
 */
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { formIn, type LocalizedForm } from '../config/feedback-form';
import type { Language } from '../config/regions';
import {
  assertFeedbackOpen,
  assertMayGiveFeedback,
  feedbackWindow,
  isFeedbackOpen,
  summarizeFeedback,
  type FeedbackSummary,
  type FeedbackWindow,
} from '../domain/feedback';
import { canEdit, canOversee, isVisibleTo } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { titleIn } from '../mail/format';
import { ANSWER_MAX_LENGTH, type SubmitFeedbackBody } from '../schemas/feedback';
import type { Training } from '../schemas/training';
import { listFeedbackResponses, submitFeedbackResponse } from '../store/feedback';
import { findRegistration, listRoster, readSeats } from '../store/registrations';
import { findTraining } from '../store/trainings';

async function loadTraining(trainingId: string, principal?: Principal): Promise<Training> {
  const stored = await findTraining(trainingId);
  if (!stored || !isVisibleTo(stored.training, principal)) {
    throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  }
  return stored.training;
}

export interface FeedbackFormView extends LocalizedForm {
  trainingId: string;
  title: string;
  window: FeedbackWindow;
  /** Whether feedback is taken right now. */
  open: boolean;
  answerMaxLength: number;
}

export async function feedbackFormFor(trainingId: string, language: Language | undefined, principal?: Principal): Promise<FeedbackFormView> {
  const training = await loadTraining(trainingId, principal);
  const lang = language ?? training.language;
  return {
    trainingId: training.id,
    title: titleIn(training, lang),
    window: feedbackWindow(training),
    open: (training.status === 'published' || training.status === 'closed') && isFeedbackOpen(training, clock.now()),
    answerMaxLength: ANSWER_MAX_LENGTH,
    ...formIn(lang),
  };
}

/**
 * Records a confirmed participant's feedback, once. The response (anonymous) and the registration's
 * `feedbackSubmittedAt` flag are written in one transaction.
 */
export async function submitFeedback(
  principal: Principal,
  trainingId: string,
  body: SubmitFeedbackBody,
): Promise<{ trainingId: string; status: 'submitted' }> {
  const training = await loadTraining(trainingId, principal);
  const email = principal.email.toLowerCase();
  const registration = await findRegistration(trainingId, email);
  assertMayGiveFeedback(registration);
  const now = clock.now();
  assertFeedbackOpen(training, now);

  const outcome = await submitFeedbackResponse(
    { trainingId, email, registrationId: registration.registrationId },
    { trainingId, ratings: body.ratings, answers: body.answers },
    now.toISOString(),
  );
  if (outcome === 'rejected') {
    // Sent from another tab a moment ago, or the registration changed: say which.
    const current = await findRegistration(trainingId, email);
    assertMayGiveFeedback(current);
    throw new ConflictError('Your registration changed while sending. Reload the page and send your feedback again.', 'concurrent_update');
  }
  return { trainingId, status: 'submitted' };
}

export interface NonResponder {
  fullName: string;
  email: string;
}

export type FeedbackSummaryView = FeedbackSummary & {
  trainingId: string;
  title: string;
  language: Language;
  window: FeedbackWindow;
  /**
   * Confirmed participants who have not answered, for reminders: only for the training's trainer
   * (and admins, who may act as them). Never in a file.
   */
  nonResponders?: NonResponder[];
};

async function nonRespondersOf(trainingId: string): Promise<NonResponder[]> {
  const people: NonResponder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(trainingId, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const registration of page.items) {
      if (registration.status === 'confirmed' && registration.feedbackSubmittedAt === undefined) {
        people.push({ fullName: registration.fullName, email: registration.email });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  const collator = new Intl.Collator('kk');
  return people.sort((a, b) => collator.compare(a.fullName, b.fullName) || a.email.localeCompare(b.email));
}

/**
 * The summary for the training's trainer, the region's coordinators and admins. Below three
 * responses it holds the counts only.
 */
export async function feedbackSummaryFor(
  principal: Principal,
  trainingId: string,
  language: Language | undefined,
): Promise<FeedbackSummaryView> {
  const training = await loadTraining(trainingId, principal);
  if (!canOversee(principal, training)) {
    throw new ForbiddenError(
      'Only the training\'s trainer, a coordinator of its region or an administrator can read its feedback.',
    );
  }
  const [responses, seats] = await Promise.all([listFeedbackResponses(trainingId), readSeats(trainingId)]);
  const lang = language ?? training.language;
  return {
    trainingId: training.id,
    title: titleIn(training, lang),
    language: lang,
    window: feedbackWindow(training),
    ...summarizeFeedback(responses, seats.confirmed),
    ...(canEdit(principal, training) ? { nonResponders: await nonRespondersOf(trainingId) } : {}),
  };
}
