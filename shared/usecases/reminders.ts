/**
 * The reminders job: at every tick, send every reminder that is due and not yet sent.
 *
 * Exactly once per (kind, training, registration): each email goes through sendEmailOnce with a
 * deterministic key, so a second run — EventBridge firing twice, a retry, two runs at once — finds
 * the claim and sends nothing. A cheap batch read of the claims first spares the job from
 * attempting a claim for every participant at every tick of a reminder's window.
 */
import { clock } from '../clock';
import { dueReminders, isRecipient, reminderKey, reminderKinds, reminderSearchRanges, type ReminderKind } from '../domain/reminders';
import { feedbackReminderEmail, trainingStartsSoonEmail } from '../mail/reminder-emails';
import { sendEmailOnce } from '../mail/send-once';
import { tallySendFailure, type SendTally } from './send-tally';
import type { Training } from '../schemas/training';
import { alreadySentEmails } from '../store/email-claims';
import { emailsThatAnswered, readFeedbackState } from '../store/feedback';
import { listRoster, type StoredRegistration } from '../store/registrations';
import { closedTrainingsStartingBetween, publishedTrainingsStartingBetween } from '../store/trainings';
import { inParallel } from './in-parallel';

/** Emails sent at once: well inside SES's send rate, and quick enough for a large cohort. */
const SEND_CONCURRENCY = 8;
const ROSTER_PAGE = 100;

export interface ReminderRunResult extends SendTally {
  /** Trainings with at least one reminder due. */
  trainings: number;
  sent: Record<ReminderKind, number>;
  /** Stopped before the end to finish inside the function's time limit; the next tick continues. */
  stoppedEarly: boolean;
}

export interface ReminderRunOptions {
  /** Asked between batches; true stops the run (the next tick picks up the rest). */
  shouldStop?: () => boolean;
}

function compose(kind: ReminderKind, training: Training, registration: StoredRegistration) {
  switch (kind) {
    case 'training-starts':
      return trainingStartsSoonEmail(training, registration);
    case 'feedback-day-1':
      return feedbackReminderEmail(training, registration, 'first');
    case 'feedback-day-7':
      return feedbackReminderEmail(training, registration, 'second');
  }
}

async function dueTrainings(now: Date): Promise<{ training: Training; kinds: ReminderKind[] }[]> {
  const ranges = reminderSearchRanges(now);
  const [startingSoon, ended, endedAndClosed] = await Promise.all([
    publishedTrainingsStartingBetween(ranges.startingSoon.from, ranges.startingSoon.to),
    publishedTrainingsStartingBetween(ranges.ended.from, ranges.ended.to),
    closedTrainingsStartingBetween(ranges.ended.from, ranges.ended.to),
  ]);
  const byId = new Map([...startingSoon, ...ended, ...endedAndClosed].map((training) => [training.id, training]));
  return [...byId.values()]
    .map((training) => ({ training, kinds: dueReminders(training, now) }))
    .filter((due) => due.kinds.length > 0);
}

export async function sendDueReminders({ shouldStop = () => false }: ReminderRunOptions = {}): Promise<ReminderRunResult> {
  const now = clock.now();
  const result: ReminderRunResult = {
    trainings: 0,
    sent: Object.fromEntries(reminderKinds.map((kind) => [kind, 0])) as Record<ReminderKind, number>,
    inFlight: 0,
    failed: 0,
    errorNames: [],
    stoppedEarly: false,
  };
  const due = await dueTrainings(now);
  result.trainings = due.length;

  for (const { training, kinds } of due) {
    // Once the results are released the form takes no answers: nobody is asked for one. Someone
    // who answered under an earlier registration is not asked again either.
    const askingFeedback = kinds.some((kind) => kind !== 'training-starts');
    const [state, answered] = askingFeedback
      ? await Promise.all([readFeedbackState(training.id), emailsThatAnswered(training.id)])
      : [undefined, new Set<string>()];
    for (const kind of kinds) {
      if (kind !== 'training-starts' && state?.releasedAt !== undefined) continue;
      let cursor: string | undefined;
      do {
        if (shouldStop()) {
          result.stoppedEarly = true;
          return result;
        }
        const page = await listRoster(training.id, { limit: ROSTER_PAGE, ...(cursor ? { cursor } : {}) });
        const recipients = page.items.filter(
          (registration) => isRecipient(kind, registration) && (kind === 'training-starts' || !answered.has(registration.email)),
        );
        const keyOf = (registration: StoredRegistration) => reminderKey(kind, training.id, registration.registrationId);
        const sent = await alreadySentEmails(recipients.map(keyOf));
        await inParallel(
          recipients.filter((registration) => !sent.has(keyOf(registration))),
          SEND_CONCURRENCY,
          async (registration) => {
            try {
              const outcome = await sendEmailOnce(keyOf(registration), () => compose(kind, training, registration));
              if (outcome === 'sent') result.sent[kind] += 1;
            } catch (error) {
              tallySendFailure(result, error);
            }
          },
        );
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  return result;
}
