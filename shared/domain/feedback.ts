/**
 * Feedback rules: when a participant may give feedback, who may, and the summary a trainer or
 * coordinator reads. Pure functions over plain data, no I/O; the clock comes in as an argument.
 *
 * Anonymity is built into the shapes here: a response carries ratings and answers only, and the
 * summary never hands back a whole response — ratings become counts and means, and each question's
 * answers are listed on their own, sorted, so neither one person's set of answers nor the order
 * they came in can be read from it.
 */
import { questionIds, ratingIds, RATING_MAX, RATING_MIN, type QuestionId, type RatingId } from '../config/feedback-form';
import { ConflictError, ForbiddenError } from '../errors';
import type { FeedbackResponse } from '../schemas/feedback';
import type { RegistrationStatus } from '../schemas/registration';
import type { Training } from '../schemas/training';
import { DISPLAY_TIME_ZONE, lastSessionEnd } from './training';

export const DAY_MS = 86_400_000;

/** Feedback stays open this long after the last session ends. */
export const FEEDBACK_OPEN_DAYS = 30;

/** Below this many responses a summary shows the count only, so nobody can be singled out. */
export const MIN_RESPONSES_FOR_DETAILS = 3;

export interface FeedbackWindow {
  /** When the last session starts: the training is then as good as done and can be judged. */
  opensAt: string;
  /** FEEDBACK_OPEN_DAYS after the last session ends (exclusive). */
  closesAt: string;
}

export function lastSessionStart(training: Pick<Training, 'sessions'>): string {
  return new Date(Math.max(...training.sessions.map((session) => Date.parse(session.startsAt)))).toISOString();
}

export function feedbackWindow(training: Pick<Training, 'sessions'>): FeedbackWindow {
  return {
    opensAt: lastSessionStart(training),
    closesAt: new Date(Date.parse(lastSessionEnd(training)) + FEEDBACK_OPEN_DAYS * DAY_MS).toISOString(),
  };
}

export function isFeedbackOpen(training: Pick<Training, 'sessions'>, now: Date): boolean {
  const window = feedbackWindow(training);
  return now.getTime() >= Date.parse(window.opensAt) && now.getTime() < Date.parse(window.closesAt);
}

const messageTime = new Intl.DateTimeFormat('en-GB', { timeZone: DISPLAY_TIME_ZONE, dateStyle: 'long', timeStyle: 'short' });

function almatyTime(instant: string): string {
  return `${messageTime.format(new Date(instant))} Almaty time`;
}

/**
 * Feedback is taken for a published or closed training from the start of its last session until
 * 30 days after its end. Closing freezes attendance, not feedback: feedback given after the close
 * completes a participant who had the hours, and their certificate is issued then.
 */
export function assertFeedbackOpen(training: Pick<Training, 'sessions' | 'status'>, now: Date): void {
  switch (training.status) {
    case 'draft':
      throw new ConflictError('This training has not been published, so it takes no feedback.', 'not_published');
    case 'cancelled':
      throw new ConflictError('This training was cancelled, so there is nothing to give feedback on.', 'cancelled');
    case 'closed':
    case 'published':
      break;
  }
  const window = feedbackWindow(training);
  if (now.getTime() < Date.parse(window.opensAt)) {
    throw new ConflictError(
      `Feedback opens when the last session starts, on ${almatyTime(window.opensAt)}. Come back then — we will also email you a reminder.`,
      'feedback_not_open',
    );
  }
  if (now.getTime() >= Date.parse(window.closesAt)) {
    throw new ConflictError(
      `Feedback for this training closed on ${almatyTime(window.closesAt)}, ${FEEDBACK_OPEN_DAYS} days after the last session; it can no longer be sent.`,
      'feedback_closed',
    );
  }
}

/** What the participation check reads of a registration. */
export interface FeedbackGiver {
  status: RegistrationStatus;
  feedbackSubmittedAt?: string;
}

/**
 * Only someone who held a seat — a confirmed participant — may give feedback, once. Not being a
 * participant is a matter of who you are (403); having already sent it is a matter of state (409).
 */
export function assertMayGiveFeedback<T extends FeedbackGiver>(registration: T | undefined): asserts registration is T {
  if (registration === undefined) {
    throw new ForbiddenError(
      'Only participants of this training can give feedback on it, and this account has no registration for it. Sign in with the account you registered with.',
    );
  }
  if (registration.status === 'waitlisted') {
    throw new ForbiddenError('You were on the waiting list and did not get a seat, so there is no feedback to give on this training.');
  }
  if (registration.status === 'cancelled') {
    throw new ForbiddenError('Your registration for this training was cancelled, so only confirmed participants can give feedback on it.');
  }
  if (registration.feedbackSubmittedAt !== undefined) {
    throw alreadySubmitted();
  }
}

export function alreadySubmitted(): ConflictError {
  return new ConflictError(
    'You have already sent your feedback for this training. It is final and cannot be changed or sent again — thank you for it.',
    'already_submitted',
  );
}

export type RatingValue = 1 | 2 | 3 | 4 | 5;
export type Distribution = Record<`${RatingValue}`, number>;

export interface RatingSummary {
  /** Responses that rated this; every response rates everything, so it equals `responses`. */
  count: number;
  /** Rounded to two decimals; null when nothing was rated. */
  mean: number | null;
  /** How many gave each score. */
  distribution: Distribution;
}

interface SummaryCounts {
  responses: number;
  /** Confirmed participants now. */
  confirmed: number;
  /** responses / confirmed (at most 1), to three decimals; null without confirmed participants. */
  responseRate: number | null;
  minimumResponses: number;
}

export type FeedbackSummary =
  | (SummaryCounts & { detailsHidden: true })
  | (SummaryCounts & {
      detailsHidden: false;
      ratings: Record<RatingId, RatingSummary>;
      /** Each question's non-empty answers, sorted alphabetically: not in the order they came. */
      answers: Record<QuestionId, string[]>;
    });

const scores: RatingValue[] = [1, 2, 3, 4, 5];
const collator = new Intl.Collator('kk', { sensitivity: 'variant' });

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function responseRate(responses: number, confirmed: number): number | null {
  if (confirmed <= 0) return null;
  return round(Math.min(1, responses / confirmed), 3);
}

function summarizeRating(responses: readonly FeedbackResponse[], id: RatingId): RatingSummary {
  const distribution = Object.fromEntries(scores.map((score) => [String(score), 0])) as Distribution;
  let total = 0;
  let count = 0;
  for (const response of responses) {
    const value = response.ratings[id];
    if (!Number.isInteger(value) || value < RATING_MIN || value > RATING_MAX) continue;
    distribution[String(value) as `${RatingValue}`] += 1;
    total += value;
    count += 1;
  }
  return { count, mean: count === 0 ? null : round(total / count, 2), distribution };
}

/**
 * The summary of a training's responses. Below `minimumResponses` only the counts are given: with
 * one or two responses, a mean or a quoted answer would be someone's own.
 */
export function summarizeFeedback(
  responses: readonly FeedbackResponse[],
  confirmed: number,
  minimumResponses: number = MIN_RESPONSES_FOR_DETAILS,
): FeedbackSummary {
  const counts: SummaryCounts = {
    responses: responses.length,
    confirmed,
    responseRate: responseRate(responses.length, confirmed),
    minimumResponses,
  };
  if (responses.length < minimumResponses) return { ...counts, detailsHidden: true };
  const ratings = Object.fromEntries(ratingIds.map((id) => [id, summarizeRating(responses, id)])) as Record<RatingId, RatingSummary>;
  const answers = Object.fromEntries(
    questionIds.map((id) => [
      id,
      responses
        .map((response) => response.answers[id]?.trim())
        .filter((answer): answer is string => Boolean(answer))
        .sort(collator.compare),
    ]),
  ) as Record<QuestionId, string[]>;
  return { ...counts, detailsHidden: false, ratings, answers };
}
