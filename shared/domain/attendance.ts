/**
 * Attendance and the completion rule — what a certificate rests on. Pure functions, no I/O.
 *
 * Everything is counted in whole milliseconds (session times are instants, minutes are whole
 * numbers), and the threshold is compared as integers, so "80 % of 15 hours" is exactly 12 hours
 * and never 11.999999.
 */
import { ConflictError } from '../errors';
import type { AttendanceStatus } from '../schemas/attendance';
import type { Training, TrainingSession } from '../schemas/training';
import { almatyMessageTime } from '../locale/almaty';

type Timed = Pick<TrainingSession, 'startsAt' | 'endsAt'>;
type SessionWithId = Timed & Pick<TrainingSession, 'id'>;

/** One participant's mark for one session; only what the rule needs. */
export interface AttendanceMark {
  sessionId: string;
  status: AttendanceStatus;
  /** Minutes attended; without it, present and late count the whole session. */
  minutes?: number;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/** The threshold is a fraction; it is read to 0.01 % (basis points of a percent) and no finer. */
const THRESHOLD_SCALE = 10_000;

export function sessionDurationMs(session: Timed): number {
  return Date.parse(session.endsAt) - Date.parse(session.startsAt);
}

/**
 * The time one mark earns for its session: nothing when absent or unmarked; the whole session
 * when present or late without minutes; otherwise the minutes given, never more than the session
 * lasted.
 */
export function attendedMsOf(session: Timed, mark: Pick<AttendanceMark, 'status' | 'minutes'> | undefined): number {
  if (mark === undefined || mark.status === 'absent') return 0;
  const duration = sessionDurationMs(session);
  if (mark.minutes === undefined) return duration;
  return Math.max(0, Math.min(duration, Math.round(mark.minutes) * MS_PER_MINUTE));
}

/** Marks by session id; marks for sessions the training does not have are ignored. */
function marksBySession(marks: readonly AttendanceMark[]): Map<string, AttendanceMark> {
  return new Map(marks.map((mark) => [mark.sessionId, mark]));
}

/** Attended time over all the training's sessions, in milliseconds (exact). */
export function attendedMs(sessions: readonly SessionWithId[], marks: readonly AttendanceMark[]): number {
  const bySession = marksBySession(marks);
  return sessions.reduce((total, session) => total + attendedMsOf(session, bySession.get(session.id)), 0);
}

/** Attended hours: the durations of attended sessions, late and partial minutes honoured. */
export function attendedHours(sessions: readonly SessionWithId[], marks: readonly AttendanceMark[]): number {
  return attendedMs(sessions, marks) / MS_PER_HOUR;
}

export function plannedMs(sessions: readonly Timed[]): number {
  return sessions.reduce((total, session) => total + sessionDurationMs(session), 0);
}

export interface CompletionInput {
  training: Pick<Training, 'sessions' | 'completionThreshold' | 'feedbackRequired'>;
  /** This participant's marks. */
  attendance: readonly AttendanceMark[];
  feedbackSubmitted: boolean;
}

export interface Completion {
  attendedHours: number;
  plannedHours: number;
  /** Attended hours reach completionThreshold × all planned hours (not only the sessions held so far). */
  hoursMet: boolean;
  /** Feedback is in, or the training does not ask for it. */
  feedbackMet: boolean;
  completed: boolean;
}

/**
 * The completion rule: attended hours ≥ completionThreshold × all planned hours, and feedback
 * submitted when the training requires it. The base is every planned session, so the rule can say
 * "80 % of all hours" while the training is still running.
 */
export function completion({ training, attendance, feedbackSubmitted }: CompletionInput): Completion {
  const planned = plannedMs(training.sessions);
  if (training.sessions.length === 0 || planned <= 0) {
    // The schedule rules guarantee at least one session of positive length.
    throw new Error('A training without planned hours has no completion rule; it must have at least one session.');
  }
  const attended = attendedMs(training.sessions, attendance);
  const threshold = Math.round(training.completionThreshold * THRESHOLD_SCALE);
  // Integers on both sides (attended and planned are whole ms, at most ~1.7e10, × 1e4 < 2^53).
  const hoursMet = attended * THRESHOLD_SCALE >= threshold * planned;
  const feedbackMet = !training.feedbackRequired || feedbackSubmitted;
  return {
    attendedHours: attended / MS_PER_HOUR,
    plannedHours: planned / MS_PER_HOUR,
    hoursMet,
    feedbackMet,
    completed: hoursMet && feedbackMet,
  };
}

export function isCompleted(input: CompletionInput): boolean {
  return completion(input).completed;
}

/** Hours as people read them in a report: two decimals. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}

/** Attendance can be taken for a published training until it is closed; then results are final. */
export function assertAttendanceEditable(training: Pick<Training, 'status'>): void {
  switch (training.status) {
    case 'closed':
      throw new ConflictError('This training is closed and its attendance is final; it can no longer be changed.', 'closed');
    case 'cancelled':
      throw new ConflictError('This training was cancelled, so there is no attendance to take.', 'cancelled');
    case 'draft':
      throw new ConflictError('This training is still a draft. Publish it first; attendance is taken once sessions start.', 'not_published');
    case 'published':
      return;
  }
}

/** A session's attendance can be taken once it has started, never in advance. */
export function assertSessionStarted(session: Timed, now: Date): void {
  if (now.getTime() < Date.parse(session.startsAt)) {
    throw new ConflictError(
      `This session has not started yet (it starts at ${almatyMessageTime(session.startsAt)}). Take attendance once it has begun.`,
      'session_not_started',
    );
  }
}

/** Minutes beyond the session's length are a typo (180 for 18?), not extra credit. */
export function minutesProblem(session: Timed, minutes: number | undefined): string | undefined {
  if (minutes === undefined) return undefined;
  const duration = sessionDurationMs(session);
  if (minutes * MS_PER_MINUTE <= duration) return undefined;
  return `is more than the session lasts (${Math.floor(duration / MS_PER_MINUTE)} minutes)`;
}

/**
 * A session's mark from the minutes someone was there (an online meeting's report): present when
 * they reach the training's threshold of the session's minutes, else absent. Integers on both
 * sides, as in the completion rule.
 */
export function sessionStatusFromMinutes(session: Timed, completionThreshold: number, minutes: number): 'present' | 'absent' {
  return minutes > 0 && minutes >= sessionThresholdMinutes(session, completionThreshold) ? 'present' : 'absent';
}

/** The fewest whole minutes that reach the threshold of a session's (whole) minutes. */
export function sessionThresholdMinutes(session: Timed, completionThreshold: number): number {
  const sessionMinutes = Math.floor(sessionDurationMs(session) / MS_PER_MINUTE);
  const threshold = Math.round(completionThreshold * THRESHOLD_SCALE);
  return Math.ceil((threshold * sessionMinutes) / THRESHOLD_SCALE);
}
