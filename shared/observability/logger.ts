import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of every Lambda (HTTP, stream, schedule, event): built once per
 * container. Log facts and ids, never personal data (names, emails, free text).
 */
export const logger = new Logger({ serviceName: 'cascade-training' });
