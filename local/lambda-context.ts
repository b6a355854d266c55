import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The Context a Lambda invocation receives, for handlers the local runtime calls directly. */
export function lambdaContext(options: {
  functionName: string;
  /** Lambda's own default when the manifest does not say. */
  timeoutSeconds?: number;
  memoryMb?: number;
  requestId?: string;
}): Context {
  const { functionName } = options;
  const deadline = Date.now() + (options.timeoutSeconds ?? 3) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 128),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
