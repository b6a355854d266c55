import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '../../shared/http/route';
import { sendDueReminders } from '../../shared/usecases/reminders';

/** Leaves time to finish the emails in hand; what is left is the next tick's. */
const STOP_WITH_REMAINING_MS = 30_000;

/**
 * Sends the reminders that are due (training starts in a day; feedback 1 and 7 days after the
 * end). Runs on an EventBridge schedule; a second invocation for the same tick sends nothing again.
 * Logs counts only — never an address or a name.
 */
export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.addContext(context);
  const result = await sendDueReminders({
    shouldStop: () => context.getRemainingTimeInMillis() < STOP_WITH_REMAINING_MS,
  });
  logger.info('Reminders run', { ...result });
  if (result.failed > 0) {
    // Failing the invocation makes the failure visible (and EventBridge retries; resending is harmless).
    throw new Error(`${result.failed} reminder(s) could not be sent (${result.errorNames.join(', ')}); the next run retries them.`);
  }
  return result;
};
