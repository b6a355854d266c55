/** A worker thread that logs through the functions' logger (test/unit/concurrent-invocations.test.ts). */
import { serveWorker } from '../../local/worker-thread';

const api = {
  /** Logs once, as a handler module's top level or a schedule would before any invocation. */
  log: async () => {
    const { logger } = await import('../../shared/observability/logger');
    logger.debug('a log line before any invocation');
    return true;
  },
};

export type LoggingWorker = typeof api;

serveWorker(() => Promise.resolve(api));
