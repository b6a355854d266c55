import type { Context, ScheduledEvent } from 'aws-lambda';
import { errorName, logger } from '../../shared/observability/logger';
import { releaseEndedFeedback } from '../../shared/usecases/feedback';
import { sendDueReminders } from '../../shared/usecases/reminders';
import { sendDueRenewalReminders } from '../../shared/usecases/renewal';
import { sendDueSurveys } from '../../shared/usecases/survey';

/** Leaves time to finish the emails in hand; what is left is the next tick's. */
const STOP_WITH_REMAINING_MS = 30_000;

/**
 * The time-driven jobs of the product, every 15 minutes (one function keeps the stack under
 * CloudFormation's 500 resources): reminders (training starts in a day; feedback 1 and 7 days after
 * the end), the release of feedback whose window ended, renewal reminders 90 and 30 days before
 * a certificate expires, and the follow-up survey (invitations, the reminder a week later, the
 * release of waves whose invitations closed). Each is idempotent — a second invocation for the same tick repeats
 * nothing — and each runs whatever happens to the others. Logs counts only, never an address or
 * a name.
 */
export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.addContext(context);
  const shouldStop = () => context.getRemainingTimeInMillis() < STOP_WITH_REMAINING_MS;
  const [reminders, feedback, renewal, survey] = await Promise.allSettled([
    sendDueReminders({ shouldStop }),
    releaseEndedFeedback(),
    sendDueRenewalReminders({ shouldStop }),
    sendDueSurveys({ shouldStop }),
  ]);
  const problems: string[] = [];
  if (reminders.status === 'fulfilled') {
    logger.info('Reminders run', { ...reminders.value });
    if (reminders.value.failed > 0) problems.push(`${reminders.value.failed} reminder(s) could not be sent (${reminders.value.errorNames.join(', ')})`);
  } else problems.push(`reminders failed (${errorName(reminders.reason)})`);
  if (feedback.status === 'fulfilled') logger.info('Feedback release run', { ...feedback.value });
  else problems.push(`the feedback release failed (${errorName(feedback.reason)})`);
  if (renewal.status === 'fulfilled') {
    logger.info('Renewal reminders run', { ...renewal.value });
    if (renewal.value.failed > 0) problems.push(`${renewal.value.failed} renewal reminder(s) could not be sent (${renewal.value.errorNames.join(', ')})`);
  } else problems.push(`renewal reminders failed (${errorName(renewal.reason)})`);
  if (survey.status === 'fulfilled') {
    logger.info('Follow-up survey run', { ...survey.value });
    if (survey.value.failed > 0) problems.push(`${survey.value.failed} survey step(s) failed (${survey.value.errorNames.join(', ')})`);
  } else problems.push(`the follow-up survey failed (${errorName(survey.reason)})`);
  if (problems.length > 0 || reminders.status === 'rejected' || feedback.status === 'rejected' || renewal.status === 'rejected' || survey.status === 'rejected') {
    // Failing the invocation makes the failure visible (and EventBridge retries; repeating is harmless).
    throw new Error(`${problems.join('; ')}; the next run retries them.`);
  }
  return { ...reminders.value, feedbackReleased: feedback.value.released, renewal: renewal.value, survey: survey.value };
};
