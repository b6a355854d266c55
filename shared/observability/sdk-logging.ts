/**
 * The AWS SDK's logger middleware builds a sensitive-data-filtered copy of every request and
 * response for the client's logger, even when that logger is the default no-op: on every
 * DynamoDB call it walks each item it sends and receives. That walk was 2% of the functions' CPU
 * in the certificate pipeline (README, Certificate pipeline). The platform gives the SDK no logger
 * (the functions log with their request ids themselves, shared/observability/logger.ts), so the
 * middleware is taken out of every client the hot paths build.
 */
export const sdkLoggerMiddleware = 'loggerMiddleware';

export function withoutSdkLogging<Client extends { middlewareStack: { remove(name: string): boolean } }>(client: Client): Client {
  client.middlewareStack.remove(sdkLoggerMiddleware);
  return client;
}
