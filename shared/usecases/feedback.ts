/**
 * Feedback: the form, a participant's submission, the release of results and the summary.
 *
 * Nothing here logs what was said or who said it: answers are someone's words and a submission is
 * someone's act. The response is written without identity (store/feedback). Until the results are
 * released the summary holds counts only; the release happens once (domain/feedback) and fixes
 * what every later read returns, so two reads can never be diffed into one person's answer.
 */
import { titleIn } from '../locale/title';
import type { Principal } from '../auth/principal';
import { clock, DAY_MS } from '../clock';
import { formIn, questionIds, ratingIds, type LocalizedForm, type QuestionId, type RatingId } from '../config/feedback-form';
import type { Language } from '../locale/language';
import {
  alreadyReleased,
  alreadySubmitted,
  answersByQuestion,
  assertFeedbackOpen,
  assertMayCloseEarly,
  assertMayGiveFeedback,
  FEEDBACK_OPEN_DAYS,
  feedbackMinimumResponses,
  feedbackWindow,
  isFeedbackOpen,
  meetsMinimum,
  ratingSummary,
  releaseDue,
  responseRate,
  tallyRatings,
  type FeedbackWindow,
  type RatingSummary,
  type ReleaseReason,
} from '../domain/feedback';
import { MAX_TRAINING_SPAN_MS } from '../domain/reminders';
import { canEdit, canOversee, isVisibleTo } from '../domain/training';
import { ConflictError, ForbiddenError, InvalidCursorError, NotFoundError } from '../errors';

import { ANSWER_MAX_LENGTH, type SubmitFeedbackBody } from '../schemas/feedback';
import type { Training } from '../schemas/training';
import {
  emailsThatAnswered,
  listFeedbackResponses,
  readFeedbackState,
  submitFeedbackResponse,
  waiveFeedbackRequirement,
  writeRelease,
  type FeedbackState,
} from '../store/feedback';
import { findRegistration, listRoster, readSeats } from '../store/registrations';
import { closedTrainingsStartingBetween, findTraining, publishedTrainingsStartingBetween } from '../store/trainings';

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
  /** Results are shown only with at least this many responses behind them. */
  minimumResponses: number;
  /** Set once the results are released: from then on no answer is taken. */
  releasedAt: string | null;
}

export async function feedbackFormFor(trainingId: string, language: Language | undefined, principal?: Principal): Promise<FeedbackFormView> {
  const training = await loadTraining(trainingId, principal);
  const state = await readFeedbackState(trainingId);
  const lang = language ?? training.language;
  return {
    trainingId: training.id,
    title: titleIn(training.title, lang),
    window: feedbackWindow(training),
    open:
      (training.status === 'published' || training.status === 'closed') &&
      isFeedbackOpen(training, clock.now()) &&
      state.releasedAt === undefined,
    answerMaxLength: ANSWER_MAX_LENGTH,
    minimumResponses: feedbackMinimumResponses,
    releasedAt: state.releasedAt ?? null,
    ...formIn(lang),
  };
}

/**
 * Records a confirmed participant's feedback, once per person and training, whatever happens to
 * their registrations. When it is the last confirmed participant's answer, the results are
 * released right away.
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
    { trainingId, sub: principal.sub, email, registrationId: registration.registrationId },
    { trainingId, ratings: body.ratings, answers: body.answers },
    now.toISOString(),
  );
  switch (outcome) {
    case 'submitted':
      break;
    case 'already_answered':
      throw alreadySubmitted();
    case 'released': {
      const state = await readFeedbackState(trainingId);
      throw alreadyReleased(state.releasedAt ?? now.toISOString());
    }
    case 'training_changed':
      throw new ConflictError('This training was cancelled a moment ago, so it no longer takes feedback.', 'cancelled');
    case 'registration_changed': {
      // Sent from another tab a moment ago, or the registration changed: say which.
      const current = await findRegistration(trainingId, email);
      assertMayGiveFeedback(current);
      throw new ConflictError('Your registration changed while sending. Reload the page and send your feedback again.', 'concurrent_update');
    }
  }
  const [state, seats] = await Promise.all([readFeedbackState(trainingId), readSeats(trainingId)]);
  if (releaseDue(training, state, seats.confirmed, clock.now()) === 'all_answered') {
    // The answer is in either way; a release that loses a race here is done by its winner, or
    // by the next summary read or scheduled run.
    await releaseFeedback(training, 'all_answered').catch(() => undefined);
  }
  return { trainingId, status: 'submitted' };
}

const RELEASE_ATTEMPTS = 5;

/**
 * Releases a training's results, once: the tallies of every response and the confirmed count,
 * fixed from then on. Returns the state as released (by this call or an earlier one).
 */
export async function releaseFeedback(training: Training, reason: ReleaseReason): Promise<FeedbackState> {
  for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
    const state = await readFeedbackState(training.id);
    if (state.releasedAt !== undefined) {
      if (reason === 'closed_early') throw alreadyReleased(state.releasedAt);
      return state;
    }
    if (reason === 'closed_early') assertMayCloseEarly(state, feedbackMinimumResponses);
    const [responses, seats] = await Promise.all([listFeedbackResponses(training.id), readSeats(training.id)]);
    const releasedAt = clock.now().toISOString();
    const ratings = meetsMinimum(responses.length, feedbackMinimumResponses) ? tallyRatings(responses) : undefined;
    const release = { trainingId: training.id, responses: responses.length, releasedAt, reason, confirmed: seats.confirmed, ...(ratings ? { ratings } : {}) };
    if ((await writeRelease(release)) === 'released') {
      return {
        trainingId: training.id,
        responses: responses.length,
        releasedAt,
        releaseReason: reason,
        confirmedAtRelease: seats.confirmed,
        ratingsReleased: ratings !== undefined,
        ...(ratings ? { ratings } : {}),
      };
    }
  }
  throw new ConflictError('Answers kept arriving while the results were being released. Try again in a moment.', 'concurrent_update');
}

/** The trainer's early close: allowed once at least the minimum have answered. */
export async function closeFeedbackEarly(principal: Principal, trainingId: string): Promise<FeedbackSummaryView> {
  const training = await loadTraining(trainingId, principal);
  if (!canEdit(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer or an administrator can close its feedback form.');
  }
  if (training.status !== 'published' && training.status !== 'closed') {
    throw new ConflictError('Only a published or closed training has a feedback form to close.', training.status === 'draft' ? 'not_published' : 'cancelled');
  }
  const now = clock.now();
  if (now.getTime() < Date.parse(feedbackWindow(training).opensAt)) {
    throw new ConflictError('The feedback form opens when the last session starts; it can be closed early only after that.', 'feedback_not_open');
  }
  await releaseFeedback(training, 'closed_early');
  return feedbackSummaryFor(principal, trainingId, undefined);
}

/**
 * After an early close, everyone confirmed who had not answered no longer needs to: each gets a
 * stamp whose stream record re-evaluates their completion (one small retryable unit per person).
 */
export async function waiveFeedbackForNonResponders(trainingId: string): Promise<number> {
  const answered = await emailsThatAnswered(trainingId);
  const at = clock.now().toISOString();
  let waived = 0;
  let cursor: string | undefined;
  do {
    const page = await listRoster(trainingId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const registration of page.items) {
      if (registration.status !== 'confirmed' || registration.feedbackSubmittedAt || answered.has(registration.email)) continue;
      if (await waiveFeedbackRequirement(trainingId, registration.email, registration.registrationId, at)) waived++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return waived;
}

/** How far back the release job looks for windows that ended while it was not running. */
const RELEASE_CATCH_UP_MS = 7 * DAY_MS;

/**
 * The scheduled release: every training whose feedback window ended (within the catch-up span)
 * and whose results are not released yet. Safe to run twice at once: a release happens once.
 */
export async function releaseEndedFeedback(): Promise<{ released: number }> {
  const now = clock.now().getTime();
  const windowMs = FEEDBACK_OPEN_DAYS * DAY_MS;
  // The index orders trainings by first start; a window closes a span after the last end.
  const from = new Date(now - windowMs - RELEASE_CATCH_UP_MS - MAX_TRAINING_SPAN_MS).toISOString();
  const to = new Date(now - windowMs).toISOString();
  const [published, closed] = await Promise.all([publishedTrainingsStartingBetween(from, to), closedTrainingsStartingBetween(from, to)]);
  let released = 0;
  for (const training of [...published, ...closed]) {
    const closesAt = Date.parse(feedbackWindow(training).closesAt);
    if (closesAt > now || closesAt < now - RELEASE_CATCH_UP_MS) continue;
    const state = await readFeedbackState(training.id);
    if (state.releasedAt !== undefined) continue;
    await releaseFeedback(training, 'window_ended');
    released++;
  }
  return { released };
}

export interface NonResponder {
  fullName: string;
  email: string;
}

/** A page of one question's answers: sorted, never in the order sent. */
export interface AnswerPage {
  /** Non-empty answers to this question. */
  total: number;
  /** True when some, but fewer than the minimum, answered this question: only the count is shown. */
  withheld: boolean;
  items: string[];
  /** Where the next page starts (GET …/feedback/answers?question=&cursor=). */
  nextCursor?: string;
}

export type FeedbackSummaryView = {
  trainingId: string;
  title: string;
  language: Language;
  window: FeedbackWindow;
  responses: number;
  /** Confirmed participants (fixed at release). */
  confirmed: number;
  responseRate: number | null;
  minimumResponses: number;
  /** When the results were released; null until then (they are released by `window.closesAt` at the latest). */
  releasedAt: string | null;
  releaseReason: ReleaseReason | null;
  /** Whether the caller may close the form early now. */
  canCloseEarly: boolean;
  /** Why no figures are shown: not released yet, or released with too few responses. */
  detailsHidden: boolean;
  hiddenReason: 'not_released' | 'below_minimum' | null;
  ratings?: Record<RatingId, RatingSummary>;
  answers?: Record<QuestionId, AnswerPage>;
  /**
   * Confirmed participants who have not answered, for reminders: only for the training's trainer
   * (and admins, who may act as them). Never in a file.
   */
  nonResponders?: NonResponder[];
};

async function nonRespondersOf(trainingId: string): Promise<NonResponder[]> {
  const answered = await emailsThatAnswered(trainingId);
  const people: NonResponder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(trainingId, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const registration of page.items) {
      if (registration.status === 'confirmed' && registration.feedbackSubmittedAt === undefined && !answered.has(registration.email)) {
        people.push({ fullName: registration.fullName, email: registration.email });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  const collator = new Intl.Collator('kk');
  return people.sort((a, b) => collator.compare(a.fullName, b.fullName) || a.email.localeCompare(b.email));
}

/**
 * A summary's answers per question: about this much text each (six questions stay near 1 MB,
 * far under Lambda's 6 MB response), the rest behind the cursor.
 */
const ANSWER_PAGE_CHARACTERS = 100_000;
const ANSWER_PAGE_MAX_ITEMS = 200;

export function pageOfAnswers(answers: readonly string[], offset: number, unlimited = false): { items: string[]; nextOffset?: number } {
  if (unlimited) return { items: answers.slice(offset) };
  const items: string[] = [];
  let characters = 0;
  for (let index = offset; index < answers.length; index++) {
    const answer = answers[index]!;
    if (items.length > 0 && (items.length >= ANSWER_PAGE_MAX_ITEMS || characters + answer.length > ANSWER_PAGE_CHARACTERS)) {
      return { items, nextOffset: index };
    }
    items.push(answer);
    characters += answer.length;
  }
  return { items };
}

/** Where the next page of one question's answers starts; sealed by the route layer before it leaves. */
export function encodeAnswerCursor(question: QuestionId, offset: number): string {
  return Buffer.from(JSON.stringify({ q: question, o: offset })).toString('base64url');
}

/** The offset inside an (unsealed) answers cursor, for this question only. */
function offsetIn(cursor: string | undefined, question: QuestionId): number {
  if (cursor === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { q, o } = parsed as { q?: unknown; o?: unknown };
      if (q === question && typeof o === 'number' && Number.isInteger(o) && o > 0) return o;
    }
  } catch {
    // Falls through: not one of ours.
  }
  throw new InvalidCursorError();
}

async function overseenTraining(principal: Principal, trainingId: string): Promise<Training> {
  const training = await loadTraining(trainingId, principal);
  if (!canOversee(principal, training)) {
    throw new ForbiddenError(
      'Only the training\'s trainer, a coordinator of its region or an administrator can read its feedback.',
    );
  }
  return training;
}

/** Brings the release up to date (a due release happens on the first read after it is due). */
async function currentState(training: Training): Promise<{ state: FeedbackState; confirmed: number }> {
  const [state, seats] = await Promise.all([readFeedbackState(training.id), readSeats(training.id)]);
  const due = releaseDue(training, state, seats.confirmed, clock.now());
  if (due) return { state: await releaseFeedback(training, due), confirmed: seats.confirmed };
  return { state, confirmed: seats.confirmed };
}

/**
 * The summary for the training's trainer, the region's coordinators and admins. Before release:
 * the counts (and, for the trainer, who has not answered). After: the released figures, the
 * same at every read. `allAnswers` gives every answer (for the files) instead of the first page.
 */
export async function feedbackSummaryFor(
  principal: Principal,
  trainingId: string,
  language: Language | undefined,
  options: { allAnswers?: boolean } = {},
): Promise<FeedbackSummaryView> {
  const training = await overseenTraining(principal, trainingId);
  const { state, confirmed: confirmedNow } = await currentState(training);
  const lang = language ?? training.language;
  const minimum = feedbackMinimumResponses;
  const released = state.releasedAt !== undefined;
  const confirmed = released ? (state.confirmedAtRelease ?? confirmedNow) : confirmedNow;
  const base = {
    trainingId: training.id,
    title: titleIn(training.title, lang),
    language: lang,
    window: feedbackWindow(training),
    responses: state.responses,
    confirmed,
    responseRate: responseRate(state.responses, confirmed),
    minimumResponses: minimum,
    releasedAt: state.releasedAt ?? null,
    releaseReason: state.releaseReason ?? null,
    canCloseEarly:
      !released &&
      canEdit(principal, training) &&
      state.responses >= minimum &&
      clock.now().getTime() >= Date.parse(feedbackWindow(training).opensAt),
    ...(canEdit(principal, training) ? { nonResponders: await nonRespondersOf(trainingId) } : {}),
  };
  if (!released) return { ...base, detailsHidden: true, hiddenReason: 'not_released' };
  if (!state.ratingsReleased || !state.ratings) return { ...base, detailsHidden: true, hiddenReason: 'below_minimum' };
  const tallies = state.ratings;
  const byQuestion = answersByQuestion(await listFeedbackResponses(trainingId));
  const answers = Object.fromEntries(
    questionIds.map((id) => {
      const all = byQuestion[id];
      if (all.length > 0 && !meetsMinimum(all.length, minimum)) return [id, { total: all.length, withheld: true, items: [] }];
      const page = pageOfAnswers(all, 0, options.allAnswers);
      return [id, { total: all.length, withheld: false, items: page.items, ...(page.nextOffset ? { nextCursor: encodeAnswerCursor(id, page.nextOffset) } : {}) }];
    }),
  ) as Record<QuestionId, AnswerPage>;
  return {
    ...base,
    detailsHidden: false,
    hiddenReason: null,
    ratings: Object.fromEntries(ratingIds.map((id) => [id, ratingSummary(tallies[id])])) as Record<RatingId, RatingSummary>,
    answers,
  };
}

/** One question's released answers, a page at a time; before release, nothing but that it is not released. */
export type AnswersView = { trainingId: string; question: QuestionId; releasedAt: string | null } & (
  | AnswerPage
  | { total: null; withheld: true; items: [] }
);

/** The next page of one question's released answers. */
export async function feedbackAnswersFor(
  principal: Principal,
  trainingId: string,
  question: QuestionId,
  cursor: string | undefined,
): Promise<AnswersView> {
  const training = await overseenTraining(principal, trainingId);
  const offset = offsetIn(cursor, question);
  const { state } = await currentState(training);
  // Not even a question's count before release: counts per question would move with each answer.
  if (state.releasedAt === undefined) return { trainingId, question, releasedAt: null, total: null, withheld: true, items: [] };
  const releasedAt = state.releasedAt;
  const all = answersByQuestion(await listFeedbackResponses(trainingId))[question];
  if (!state.ratingsReleased || (all.length > 0 && !meetsMinimum(all.length, feedbackMinimumResponses))) {
    return { trainingId, question, releasedAt, total: all.length, withheld: true, items: [] };
  }
  if (offset > all.length) throw new InvalidCursorError();
  const page = pageOfAnswers(all, offset);
  return {
    trainingId,
    question,
    releasedAt,
    total: all.length,
    withheld: false,
    items: page.items,
    ...(page.nextOffset ? { nextCursor: encodeAnswerCursor(question, page.nextOffset) } : {}),
  };
}
