import type { Context, ScheduledEvent } from 'aws-lambda';
import { optionalEnv } from '../../shared/env';
import { logger } from '../../shared/observability/logger';
import { defaultSweepOptions, sweep } from '../../shared/usecases/sweeper';

const olderThanMinutes = Number(optionalEnv('SWEEP_AFTER_MINUTES') ?? defaultSweepOptions.olderThanMs / 60_000);

/**
 * Re-drives stuck work (pending work items, free seats while people wait, emails whose send never
 * finished, resends still `sending`). Runs on an EventBridge schedule; two runs at once, or a run
 * beside the stream, change nothing twice. Logs counts only — never an address or a name; the
 * "Sweep run" line's `stuck` is what the CloudWatch alarm counts (infra/constructs/schedules).
 */
export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.addContext(context);
  const result = await sweep({ olderThanMs: olderThanMinutes * 60_000 });
  const stuck = Object.values(result.found).reduce((sum, count) => sum + count, 0);
  logger.info('Sweep run', { ...result, stuck });
  if (result.failed > 0) {
    throw new Error(`${result.failed} stuck item(s) could not be re-driven (${result.errorNames.join(', ')}); the next run retries them.`);
  }
  return { ...result, stuck };
};
