import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '../../shared/http/route';
import { sendDueRenewalReminders } from '../../shared/usecases/renewal';

/** Leaves time to finish the emails in hand; what is left is the next tick's. */
const STOP_WITH_REMAINING_MS = 30_000;

/**
 * Emails holders 90 and 30 days before their certificate expires. A second invocation for the
 * same tick sends nothing again. Logs counts only — never an address or a name.
 */
export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.addContext(context);
  const result = await sendDueRenewalReminders({
    shouldStop: () => context.getRemainingTimeInMillis() < STOP_WITH_REMAINING_MS,
  });
  logger.info('Renewal reminders run', { ...result });
  if (result.failed > 0) {
    throw new Error(`${result.failed} renewal reminder(s) could not be sent (${result.errorNames.join(', ')}); the next run retries them.`);
  }
  return result;
};
