import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { CERTIFICATES_BUCKET, TABLE_NAME } from '../../local/stack';
import { asInvocation, isolateInvocations } from '../../local/invocations';
import { apiUrl } from './api';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export const workerContext = { awsRequestId: 'test', functionName: 'workflow', getRemainingTimeInMillis: () => 120_000 } as unknown as Context;

/**
 * The workflow consumer loaded into the test process, pointed at the stack's emulators: it plays
 * extra Lambda workers next to the stack's own poller, for duplicate and concurrent deliveries.
 */
export async function inProcessWorkflow(): Promise<StreamHandler> {
  Object.assign(process.env, {
    TABLE_NAME,
    CERTIFICATES_BUCKET,
    MAIL_FROM: 'no-reply@training.local',
    PUBLIC_BASE_URL: apiUrl(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
    AWS_ENDPOINT_URL_SESV2: inject('sesUrl'),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  // Calls made at once stand for separate workers, so each keeps its own batch state and log
  // context, as separate containers do (local/invocations.ts).
  isolateInvocations();
  // Imported only now: its clients read the environment set above.
  const { handler } = await import('../../functions/streams/workflow');
  return asInvocation(handler);
}
