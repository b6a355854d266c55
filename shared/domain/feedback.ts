/**
 * Feedback rules: when a participant may give feedback, who may, and the summary a trainer or
 * coordinator reads. Pure functions over plain data, no I/O; the clock comes in as an argument.
 *
 * Anonymity is built into the shapes here, and into when results are shown:
 * - a response carries ratings and answers only; the summary never hands back a whole response —
 *   ratings become counts and means, and each question's answers are listed on their own, sorted;
 * - results are released once (the release rule below) and never change after, so reading the
 *   summary before and after one more answer cannot single that answer out: before release the
 *   readers see how many answered, never what;
 * - every figure needs at least the minimum number of responses behind it, or it shows its count.
 */
import { optionalEnv } from '../env';
import { questionIds, ratingIds, RATING_MAX, RATING_MIN, type QuestionId, type RatingId } from '../config/feedback-form';
import { ConflictError, ForbiddenError } from '../errors';
import type { FeedbackResponse } from '../schemas/feedback';
import type { RegistrationStatus } from '../schemas/registration';
import type { Training } from '../schemas/training';
import { DAY_MS } from '../clock';
import { almatyMessageTime } from '../locale/almaty';
import { lastSessionEnd } from './training';


/** Feedback stays open this long after the last session ends. */
export const FEEDBACK_OPEN_DAYS = 30;

/**
 * The fewest responses behind any released figure (a training's ratings, a question's answers, a
 * report cell's mean). A deployment may raise it (FEEDBACK_MIN_RESPONSES), never lower it below
 * the floor: with one or two responses, a mean or a quoted answer is someone's own.
 */
export const DEFAULT_MIN_RESPONSES = 5;
export const MIN_RESPONSES_FLOOR = 3;

export function minimumResponsesFrom(value: string | undefined): number {
  const parsed = value === undefined || value === '' ? DEFAULT_MIN_RESPONSES : Number(value);
  if (!Number.isInteger(parsed) || parsed < MIN_RESPONSES_FLOOR || parsed > 1000) {
    throw new RangeError(`FEEDBACK_MIN_RESPONSES must be a whole number from ${MIN_RESPONSES_FLOOR} to 1000, not ${value}.`);
  }
  return parsed;
}

/** This deployment's minimum (FEEDBACK_MIN_RESPONSES; CDK context `feedbackMinResponses`). */
export const feedbackMinimumResponses = minimumResponsesFrom(optionalEnv('FEEDBACK_MIN_RESPONSES'));

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

const almatyTime = (instant: string): string => almatyMessageTime(instant, 'long');

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

/** Why results were released: the rule's three ways. */
export const releaseReasons = ['window_ended', 'all_answered', 'closed_early'] as const;
export type ReleaseReason = (typeof releaseReasons)[number];

/** What the release rule reads of a training's feedback state. */
export interface ReleaseState {
  responses: number;
  releasedAt?: string;
}

/**
 * Whether results are due for release now, and why: when the window has ended, or earlier when
 * every confirmed participant has answered. (The trainer's early close is an action, not a time:
 * assertMayCloseEarly.) Undefined when already released or not yet due.
 */
export function releaseDue(
  training: Pick<Training, 'sessions'>,
  state: ReleaseState,
  confirmed: number,
  now: Date,
): ReleaseReason | undefined {
  return releaseDueIn(feedbackWindow(training), state, confirmed, now);
}

/**
 * The release rule itself, for any anonymous group (a training's feedback, a follow-up survey's
 * wave): due once its window has ended, or earlier once every one of the `eligible` has answered
 * (and the window has opened). Undefined when already released or not yet due.
 */
export function releaseDueIn(
  window: { opensAt: string; closesAt: string },
  state: ReleaseState,
  eligible: number,
  now: Date,
): ReleaseReason | undefined {
  if (state.releasedAt !== undefined) return undefined;
  if (now.getTime() >= Date.parse(window.closesAt)) return 'window_ended';
  if (eligible > 0 && state.responses >= eligible && now.getTime() >= Date.parse(window.opensAt)) return 'all_answered';
  return undefined;
}

export function alreadyReleased(releasedAt: string): ConflictError {
  return new ConflictError(
    `The feedback form of this training was closed and its results released on ${almatyTime(releasedAt)}; answers are no longer taken. Thank you all the same.`,
    'feedback_released',
    undefined,
    { releasedAt },
  );
}

/**
 * The trainer may close the form early once enough have answered for the results to be shown;
 * below that, closing would release nothing anyone could read and end the chance of more answers.
 */
export function assertMayCloseEarly(state: ReleaseState, minimumResponses: number): void {
  if (state.releasedAt !== undefined) throw alreadyReleased(state.releasedAt);
  if (state.responses < minimumResponses) {
    throw new ConflictError(
      `Only ${state.responses} of the at least ${minimumResponses} responses needed have arrived, so the form cannot be closed early yet: results with fewer answers could single someone out. Remind the participants who have not answered, or wait for the window to end.`,
      'feedback_below_minimum',
      undefined,
      { minimum: String(minimumResponses), responses: String(state.responses) },
    );
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

/** One rating over the released responses: enough to show it, to merge it into reports, and no more. */
export interface RatingTally {
  count: number;
  sum: number;
  distribution: Distribution;
}

export interface RatingSummary {
  /** Responses that rated this; every response rates everything, so it equals `responses`. */
  count: number;
  /** Rounded to two decimals; null when nothing was rated. */
  mean: number | null;
  /** How many gave each score. */
  distribution: Distribution;
}

const scores: RatingValue[] = [1, 2, 3, 4, 5];
/** Built on first use: loading the collation data at import would cost every function that imports this module. */
let collator: Intl.Collator | undefined;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function responseRate(responses: number, confirmed: number): number | null {
  if (confirmed <= 0) return null;
  return round(Math.min(1, responses / confirmed), 3);
}

/** One score's tally over whole numbers from RATING_MIN to RATING_MAX; anything else is not counted. */
export function tallyScores(values: readonly number[]): RatingTally {
  const distribution = Object.fromEntries(scores.map((score) => [String(score), 0])) as Distribution;
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (!Number.isInteger(value) || value < RATING_MIN || value > RATING_MAX) continue;
    distribution[String(value) as `${RatingValue}`] += 1;
    sum += value;
    count += 1;
  }
  return { count, sum, distribution };
}

function tallyRating(responses: readonly FeedbackResponse[], id: RatingId): RatingTally {
  return tallyScores(responses.map((response) => response.ratings[id]));
}

/** The tallies of every rating: what a release keeps of the ratings (no response, no order). */
export function tallyRatings(responses: readonly FeedbackResponse[]): Record<RatingId, RatingTally> {
  return Object.fromEntries(ratingIds.map((id) => [id, tallyRating(responses, id)])) as Record<RatingId, RatingTally>;
}

export function ratingSummary(tally: RatingTally): RatingSummary {
  return { count: tally.count, mean: tally.count === 0 ? null : round(tally.sum / tally.count, 2), distribution: tally.distribution };
}

/** Each question's non-empty answers, sorted alphabetically: never whole responses, never in the order they came. */
export function answersByQuestion(responses: readonly FeedbackResponse[]): Record<QuestionId, string[]> {
  return Object.fromEntries(
    questionIds.map((id) => [
      id,
      responses
        .map((response) => response.answers[id]?.trim())
        .filter((answer): answer is string => Boolean(answer))
        .sort((collator ??= new Intl.Collator('kk', { sensitivity: 'variant' })).compare),
    ]),
  ) as Record<QuestionId, string[]>;
}

/** Whether `count` items may be shown as themselves (ratings, answers, a mean) rather than as a count. */
export function meetsMinimum(count: number, minimumResponses: number): boolean {
  return count >= minimumResponses;
}
