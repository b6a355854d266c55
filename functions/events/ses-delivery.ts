import type { Context, EventBridgeEvent } from 'aws-lambda';
import { logger } from '../../shared/observability/logger';
import { sesEventBridgeEventSchema } from '../../shared/schemas/ses-events';
import { recordSesEvent } from '../../shared/usecases/delivery';

/**
 * SES delivery events from the configuration set, through EventBridge. A malformed event is
 * dropped (retrying cannot fix it); a failure to record throws, so EventBridge retries it.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<{ outcome: string }> => {
  logger.addContext(context);
  const parsed = sesEventBridgeEventSchema.safeParse(event);
  if (!parsed.success) {
    // The paths of the problems, never the values: the event holds recipients' addresses.
    logger.warn('SES event not understood', { problems: parsed.error.issues.map((issue) => issue.path.join('.')) });
    return { outcome: 'ignored' };
  }
  const outcome = await recordSesEvent(parsed.data.detail);
  logger.info('SES event', { eventType: parsed.data.detail.eventType, outcome });
  return { outcome };
};
