import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of every Lambda (HTTP, stream, schedule, event): built once per
 * container. Log facts and ids, never personal data (names, emails, free text).
 */
export const logger = new Logger({ serviceName: 'cascade-training' });

/**
 * What a log may say of an error: its name, never its message, which can quote the input (a
 * person's name, an email address).
 */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
