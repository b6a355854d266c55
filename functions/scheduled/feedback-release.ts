import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '../../shared/http/route';
import { releaseEndedFeedback } from '../../shared/usecases/feedback';

/**
 * Releases the feedback results of trainings whose window has ended. Runs on an EventBridge
 * schedule; a second invocation for the same tick releases nothing again (a release is written
 * once). Logs a count only.
 */
export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.addContext(context);
  const result = await releaseEndedFeedback();
  logger.info('Feedback release run', { ...result });
  return result;
};
