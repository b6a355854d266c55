/**
 * The follow-up impact survey: when a certified participant is asked, reminded and no longer
 * heard, which wave their answer belongs to, and what a wave releases. Pure functions; the clock
 * comes in as an argument.
 *
 * A wave is one training's certificates surveyed `months` after issue. It is the anonymous group:
 * its answers are released once, under the same rule and minimum as post-training feedback
 * (releaseDueIn and meetsMinimum in domain/feedback), and never change after.
 */
import {
  appliedOptions,
  passedOnForms,
  surveyRatingIds,
  type AppliedOption,
  type PassedOnForm,
  type SurveyQuestionId,
  type SurveyRatingId,
} from '../config/follow-up-survey';
import { optionalEnv } from '../env';
import { ConflictError, GoneError } from '../errors';
import { DAY_MS } from '../clock';
import { almatyMessageTime } from '../locale/almaty';
import { FEEDBACK_OPEN_DAYS, releaseDueIn, tallyScores, type RatingTally, type ReleaseReason, type ReleaseState } from './feedback';
import { lastSessionEnd } from './training';
import type { Training } from '../schemas/training';

/** An invitation takes answers this long. */
export const SURVEY_OPEN_DAYS = 30;
/** The one reminder, this long after the invitation, to those who have not answered. */
export const SURVEY_REMINDER_DAYS = 7;

/** The delays a deployment may survey at, in months after the certificate; 3 always. */
export const SURVEY_DELAY_CHOICES = [3, 6, 12] as const;
export type SurveyDelay = (typeof SURVEY_DELAY_CHOICES)[number];

/**
 * Reads SURVEY_DELAYS_MONTHS (CDK context `surveyDelaysMonths`): a comma list of 3, 6 and 12
 * holding 3, e.g. "3,6,12"; unset or empty means "3". Anything else fails loudly, at synth and at
 * cold start, never a teacher's request.
 */
export function surveyDelaysFrom(value: string | undefined): SurveyDelay[] {
  if (value === undefined || value.trim() === '') return [3];
  const parts = value.split(',').map((part) => part.trim());
  const delays = parts.map(Number);
  const valid =
    delays.every((delay) => (SURVEY_DELAY_CHOICES as readonly number[]).includes(delay)) &&
    new Set(delays).size === delays.length &&
    delays.includes(3);
  if (!valid) {
    throw new RangeError(`SURVEY_DELAYS_MONTHS must list months from ${SURVEY_DELAY_CHOICES.join(', ')}, each once and 3 among them (e.g. "3,6,12"), not ${value}.`);
  }
  return (delays as SurveyDelay[]).sort((a, b) => a - b);
}

/** This deployment's delays (SURVEY_DELAYS_MONTHS; CDK context `surveyDelaysMonths`). */
export const surveyDelays = surveyDelaysFrom(optionalEnv('SURVEY_DELAYS_MONTHS'));

/** The same instant `months` calendar months later, in UTC (31 January + 1 month is 3 March). */
export function addMonths(instant: string, months: number): string {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/** When a certificate's survey of this wave is due: `months` after its issue. */
export function surveyDueAt(issuedAt: string, months: number): string {
  return addMonths(issuedAt, months);
}

/**
 * An invitation is sent within this long of being due, or not at all: a job that was down longer
 * does not invite to a survey that would have closed already.
 */
export const INVITE_CATCH_UP_DAYS = SURVEY_OPEN_DAYS;

/** An invitation's own window, fixed when it is sent. */
export interface InvitationWindow {
  invitedAt: string;
  remindAt: string;
  closesAt: string;
}

export function invitationWindow(invitedAt: string): InvitationWindow {
  const at = Date.parse(invitedAt);
  return {
    invitedAt,
    remindAt: new Date(at + SURVEY_REMINDER_DAYS * DAY_MS).toISOString(),
    closesAt: new Date(at + SURVEY_OPEN_DAYS * DAY_MS).toISOString(),
  };
}

/** Whether a certificate issued at `issuedAt` is due its invitation of this wave now. */
export function isInvitationDue(issuedAt: string, months: number, now: Date): boolean {
  const due = Date.parse(surveyDueAt(issuedAt, months));
  return now.getTime() >= due && now.getTime() < due + INVITE_CATCH_UP_DAYS * DAY_MS;
}

/** Whether the reminder is due: a week after the invitation, while it is open. */
export function isReminderDue(window: InvitationWindow, now: Date): boolean {
  return now.getTime() >= Date.parse(window.remindAt) && now.getTime() < Date.parse(window.closesAt);
}

/**
 * The issue instants the job looks at: invitations due (within their catch-up) and invitations
 * still open or just closed, whose waves it may release. Wider than needed by a day each side,
 * since months are not all the same length; the exact checks above decide.
 */
export function surveySearchRange(now: Date, months: number): { from: string; to: string } {
  const latestIssue = addMonths(now.toISOString(), -months);
  const span = (INVITE_CATCH_UP_DAYS + SURVEY_OPEN_DAYS + RELEASE_CATCH_UP_DAYS + 1) * DAY_MS;
  return { from: new Date(Date.parse(latestIssue) - span).toISOString(), to: new Date(Date.parse(latestIssue) + DAY_MS).toISOString() };
}

/** How long after its last invitation closed the job still looks for a wave to release. */
export const RELEASE_CATCH_UP_DAYS = 7;

/** The claim of one survey email: once per certificate, wave and kind, whatever the number of ticks. */
export type SurveyEmailKind = 'survey-invite' | 'survey-reminder';
export function surveyEmailKey(kind: SurveyEmailKind, certificateId: string, months: number): string {
  return `${kind}#${certificateId}#${months}`;
}

/** The id in a survey's link: the wave's months and the certificate. */
export function surveyIdOf(certificateId: string, months: number): string {
  return `${months}m-${certificateId}`;
}

export const SURVEY_ID_PATTERN = /^(3|6|12)m-([A-Za-z0-9_-]{1,64})$/;

export function parseSurveyId(surveyId: string): { months: SurveyDelay; certificateId: string } | undefined {
  const match = SURVEY_ID_PATTERN.exec(surveyId);
  if (!match) return undefined;
  return { months: Number(match[1]) as SurveyDelay, certificateId: match[2]! };
}

/** What the release rule reads of a wave's state. */
export interface WaveState extends ReleaseState {
  invited: number;
  /** The latest close of the wave's invitations so far. */
  lastClosesAt?: string;
}

/**
 * When every certificate of a training has been issued in the normal course (feedback completes
 * a participant up to FEEDBACK_OPEN_DAYS after the last session), plus the delay: from then on no
 * more invitations of the wave are expected, so "everyone invited has answered" can release it.
 */
export function waveInvitationsSettleAt(training: Pick<Training, 'sessions'>, months: number): string {
  return addMonths(new Date(Date.parse(lastSessionEnd(training)) + FEEDBACK_OPEN_DAYS * DAY_MS).toISOString(), months);
}

/** The feedback rule applied to a wave: released when its last invitation closed, or when all invited answered. */
export function waveReleaseDue(training: Pick<Training, 'sessions'>, months: number, state: WaveState, now: Date): ReleaseReason | undefined {
  if (state.invited === 0 || state.lastClosesAt === undefined) return undefined;
  return releaseDueIn({ opensAt: waveInvitationsSettleAt(training, months), closesAt: state.lastClosesAt }, state, state.invited, now);
}

/** One response as stored: the wave and what was said; nothing about who or when. */
export interface SurveyResponse {
  trainingId: string;
  months: number;
  applied: AppliedOption;
  ratings: Record<SurveyRatingId, number>;
  colleagues: number;
  forms: PassedOnForm[];
  answers: Partial<Record<SurveyQuestionId, string>>;
}

/** What a release keeps of a wave's responses: counts and sums, never a response or its order. */
export interface SurveyTallies {
  applied: Record<AppliedOption, number>;
  /** Colleagues reached, as the respondents reported them, summed. */
  colleagues: number;
  forms: Record<PassedOnForm, number>;
  ratings: Record<SurveyRatingId, RatingTally>;
}

export function tallySurvey(responses: readonly SurveyResponse[]): SurveyTallies {
  const count = <K extends string>(ids: readonly K[], has: (response: SurveyResponse, id: K) => boolean) =>
    Object.fromEntries(ids.map((id) => [id, responses.filter((response) => has(response, id)).length])) as Record<K, number>;
  return {
    applied: count(appliedOptions, (response, id) => response.applied === id),
    colleagues: responses.reduce((sum, response) => sum + response.colleagues, 0),
    forms: count(passedOnForms, (response, id) => response.forms.includes(id)),
    ratings: Object.fromEntries(surveyRatingIds.map((id) => [id, tallyScores(responses.map((response) => response.ratings[id]))])) as Record<
      SurveyRatingId,
      RatingTally
    >,
  };
}

/** Applied means "yes" or "partly". */
export function appliedCount(tallies: Pick<SurveyTallies, 'applied'>): number {
  return tallies.applied.yes + tallies.applied.partly;
}

function almatyTime(instant: string): string {
  return almatyMessageTime(instant, 'long');
}

export function surveyClosed(closesAt: string): ConflictError {
  return new ConflictError(
    `This survey closed on ${almatyTime(closesAt)}, ${SURVEY_OPEN_DAYS} days after the invitation; answers are no longer taken. Thank you all the same.`,
    'survey_closed',
    undefined,
    { closedAt: closesAt },
  );
}

export function surveyReleased(releasedAt: string): ConflictError {
  return new ConflictError(
    `This survey's results were released on ${almatyTime(releasedAt)}, so it takes no more answers. Thank you all the same.`,
    'survey_released',
    undefined,
    { releasedAt, closedAt: releasedAt },
  );
}

export function surveyAlreadyAnswered(): ConflictError {
  return new ConflictError('You have already answered this survey. Answers are final and cannot be changed or sent again — thank you for them.', 'already_submitted');
}

export function certificateRevokedForSurvey(): GoneError {
  return new GoneError(
    'The certificate this survey is about has been revoked, so the survey no longer applies to you. If you think the revocation is a mistake, contact your regional coordinator; nothing else is needed.',
    'certificate_revoked',
  );
}
