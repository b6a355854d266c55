/**
 * When a reminder is due, and to whom. Pure functions, no I/O: the scheduled job asks them at
 * every tick and sends what is due, each email at most once (see usecases/reminders).
 *
 * A reminder is due during a window, not at an instant: the job runs every 15 minutes and may be
 * down for a while, so each tick sends whatever became due and has not been sent. A window closes
 * when the reminder stops making sense — the training has started, the next reminder is due, or
 * feedback has closed — so a late job never sends a stale one (no "1 day after" on day 8).
 */
import type { RegistrationStatus } from '../schemas/registration';
import type { Training } from '../schemas/training';
import { DAY_MS } from '../clock';
import { FEEDBACK_OPEN_DAYS, feedbackWindow } from './feedback';
import { firstSessionStart, lastSessionEnd } from './training';

export const reminderKinds = ['training-starts', 'feedback-day-1', 'feedback-day-7'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

/** The "starts soon" reminder: this long before the first session. */
export const STARTS_SOON_MS = DAY_MS;
export const FEEDBACK_FIRST_REMINDER_MS = DAY_MS;
export const FEEDBACK_SECOND_REMINDER_MS = 7 * DAY_MS;

/**
 * The longest a training may run from its first session start to its last session end and still
 * be found for its feedback reminders (the published index is ordered by first start, so the
 * search for "ended 1–30 days ago" has to look this far back). Cascade trainings run days or a
 * few weeks; a year is a wide margin at a cost of reading a year's published trainings per tick.
 */
export const MAX_TRAINING_SPAN_MS = 366 * DAY_MS;

export interface DueWindow {
  from: number;
  /** Exclusive. */
  until: number;
}

type Scheduled = Pick<Training, 'sessions' | 'status'>;

/** Each kind's window for one training, in epoch ms. */
export function reminderWindows(training: Pick<Training, 'sessions'>): Record<ReminderKind, DueWindow> {
  const first = Date.parse(firstSessionStart(training));
  const end = Date.parse(lastSessionEnd(training));
  const feedbackCloses = Date.parse(feedbackWindow(training).closesAt);
  return {
    'training-starts': { from: first - STARTS_SOON_MS, until: first },
    'feedback-day-1': { from: end + FEEDBACK_FIRST_REMINDER_MS, until: Math.min(end + FEEDBACK_SECOND_REMINDER_MS, feedbackCloses) },
    'feedback-day-7': { from: end + FEEDBACK_SECOND_REMINDER_MS, until: feedbackCloses },
  };
}

/**
 * The reminders due for a training at `now`. A published training may have any; a closed one
 * still collects feedback, so only the feedback reminders; a draft or cancelled one has none.
 */
export function dueReminders(training: Scheduled, now: Date): ReminderKind[] {
  if (training.status !== 'published' && training.status !== 'closed') return [];
  const windows = reminderWindows(training);
  const at = now.getTime();
  return reminderKinds.filter(
    (kind) =>
      at >= windows[kind].from && at < windows[kind].until && (training.status === 'published' || kind !== 'training-starts'),
  );
}

export interface ReminderRecipient {
  status: RegistrationStatus;
  feedbackSubmittedAt?: string;
}

/** Confirmed participants get every reminder; a feedback reminder only until they have answered. */
export function isRecipient(kind: ReminderKind, registration: ReminderRecipient): boolean {
  if (registration.status !== 'confirmed') return false;
  return kind === 'training-starts' || registration.feedbackSubmittedAt === undefined;
}

/** The claim key that makes each reminder go out once per (kind, training, registration). */
export function reminderKey(kind: ReminderKind, trainingId: string, registrationId: string): string {
  return `reminder#${kind}#${trainingId}#${registrationId}`;
}

/**
 * The ranges of first-session starts (ISO, inclusive) in which trainings with a reminder due at
 * `now` can be found: starting within a day, or having ended up to FEEDBACK_OPEN_DAYS ago.
 */
export function reminderSearchRanges(now: Date): { startingSoon: { from: string; to: string }; ended: { from: string; to: string } } {
  const at = now.getTime();
  return {
    startingSoon: { from: new Date(at).toISOString(), to: new Date(at + STARTS_SOON_MS).toISOString() },
    ended: {
      from: new Date(at - FEEDBACK_OPEN_DAYS * DAY_MS - MAX_TRAINING_SPAN_MS).toISOString(),
      to: new Date(at - FEEDBACK_FIRST_REMINDER_MS).toISOString(),
    },
  };
}
