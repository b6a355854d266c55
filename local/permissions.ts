/**
 * The local runtime refuses what IAM would refuse. On AWS each function has a role granting
 * exactly its manifest `permissions` (infra/constructs/service-function.ts); locally every handler
 * runs in one of two threads (routes; consumers and jobs), all of a thread's handlers with the same
 * clients, each thread checked here alike, so without this a missing grant would only show
 * in production. Each invocation runs inside `asFunction`, which remembers the function's entry;
 * a middleware on the shared DynamoDB, S3 and SES clients, and the secrets' access hook, look it
 * up and throw the AccessDenied error the service itself would return.
 *
 * The actions mirror the CDK grants: `table: 'read'` is grantReadData, `'readWrite'` adds the
 * writes of grantReadWriteData; `certificatesBucket: 'read'` is grantRead, `'readWrite'` adds
 * grantPut (never DeleteObject); `sendEmail` is ses:SendEmail. Work outside any invocation (the
 * runtime itself, the demo seed) is not a function and is not checked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBServiceException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { SESv2ServiceException, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Permissions } from '../shared/manifest';
import { installSecretAccessCheck, type SecretGrant } from '../shared/secrets/access';

export interface FunctionIdentity {
  name: string;
  permissions: Permissions;
}

const invocation = new AsyncLocalStorage<FunctionIdentity>();

/** The handler, run as the function `identity`: every client call inside it is checked. */
export function asFunction<A extends unknown[], R>(identity: FunctionIdentity, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args: A) => invocation.run(identity, () => handler(...args));
}

/** The function whose invocation the caller is in, if any. */
export function currentFunction(): FunctionIdentity | undefined {
  return invocation.getStore();
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

type Service = 'dynamodb' | 's3' | 'ses';

const tableReads = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'DescribeTable', 'ConditionCheckItem']);
const tableWrites = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const transactActions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

const bucketReads: Record<string, string> = {
  GetObject: 'GetObject',
  HeadObject: 'GetObject',
  GetObjectAttributes: 'GetObject',
  ListObjectsV2: 'ListBucket',
  ListObjects: 'ListBucket',
  HeadBucket: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  GetBucketLocation: 'GetBucketLocation',
};
const bucketWrites: Record<string, string> = {
  PutObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  AbortMultipartUpload: 'AbortMultipartUpload',
};

/** The IAM actions a call needs: a transaction needs each of its items' actions. */
export function actionsOf(service: Service, commandName: string, input: unknown): string[] {
  const operation = commandName.replace(/Command$/, '');
  if (service === 'dynamodb') {
    if (operation === 'TransactWriteItems') {
      const items = (input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
      return [...new Set(items.flatMap((item) => Object.keys(item).map((kind) => transactActions[kind] ?? kind)))];
    }
    if (operation === 'TransactGetItems') return ['GetItem'];
    return [operation];
  }
  if (service === 's3') return [bucketReads[operation] ?? bucketWrites[operation] ?? operation];
  // SES v2 authorizes SendEmail (raw or not) as ses:SendEmail; nothing else is granted.
  return [operation];
}

export function isAllowed(service: Service, action: string, permissions: Permissions): boolean {
  switch (service) {
    case 'dynamodb':
      if (tableReads.has(action)) return permissions.table !== undefined;
      if (tableWrites.has(action)) return permissions.table === 'readWrite';
      return false;
    case 's3':
      if (Object.values(bucketReads).includes(action)) return permissions.certificatesBucket !== undefined;
      if (Object.values(bucketWrites).includes(action)) return permissions.certificatesBucket === 'readWrite';
      return false;
    case 'ses':
      return action === 'SendEmail' && permissions.sendEmail === true;
  }
}

function notAuthorized(fn: FunctionIdentity, action: string, resource: string): string {
  // AWS's own wording, then what to change here.
  return (
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/${fn.name}-role/${fn.name} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no identity-based policy allows the ${action} action (local runtime: grant it in this function's permissions in shared/manifest.ts)`
  );
}

function resourceOf(service: Service, input: unknown): string {
  const fields = input as { TableName?: string; Bucket?: string; Key?: string; TransactItems?: Record<string, { TableName?: string }>[]; RequestItems?: Record<string, unknown> };
  if (service === 'dynamodb') {
    const table = fields.TableName ?? Object.keys(fields.RequestItems ?? {})[0] ?? Object.values(fields.TransactItems?.[0] ?? {})[0]?.TableName ?? '*';
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
  }
  if (service === 's3') return `arn:aws:s3:::${fields.Bucket ?? '*'}${fields.Key ? `/${fields.Key}` : ''}`;
  return `arn:aws:ses:${REGION}:${ACCOUNT}:identity/*`;
}

/** The error the service returns when IAM refuses: the same class, name, fault and status. */
export function accessDenied(service: Service, fn: FunctionIdentity, action: string, input: unknown): Error {
  const message = notAuthorized(fn, `${service}:${action}`, resourceOf(service, input));
  switch (service) {
    case 'dynamodb':
      return new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
    case 's3':
      return new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message });
    case 'ses':
      return new SESv2ServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 }, message });
  }
}

interface CheckedClient {
  middlewareStack: DynamoDBClient['middlewareStack'] | S3Client['middlewareStack'] | SESv2Client['middlewareStack'];
}

const MIDDLEWARE_NAME = 'localManifestPermissions';

/**
 * Adds the check to each client once (they are the process's shared clients, built once per
 * "container" as on Lambda); `onDenied` hears of every refusal, for the runtime's log.
 */
export function enforcePermissions(
  clients: { dynamodb: CheckedClient; s3: CheckedClient; ses: CheckedClient },
  onDenied: (fn: FunctionIdentity, action: string) => void = () => undefined,
): void {
  for (const service of ['dynamodb', 's3', 'ses'] as const) {
    const stack = clients[service].middlewareStack as DynamoDBClient['middlewareStack'];
    stack.remove(MIDDLEWARE_NAME);
    stack.add(
      (next, context) => async (args) => {
        const fn = currentFunction();
        if (fn && context.commandName) {
          for (const action of actionsOf(service, context.commandName, args.input)) {
            if (isAllowed(service, action, fn.permissions)) continue;
            onDenied(fn, `${service}:${action}`);
            throw accessDenied(service, fn, action, args.input);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE_NAME, priority: 'high' },
    );
  }
  installSecretAccessCheck((grant: SecretGrant) => {
    const fn = currentFunction();
    if (!fn || fn.permissions[grant] === true) return;
    onDenied(fn, `secretsmanager:GetSecretValue (${grant})`);
    const secret = { badgeKey: 'BadgeKeySecret', checkInSecret: 'CheckInSecret', cursorKey: 'CursorSecret' }[grant];
    throw new SecretsManagerServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: notAuthorized(fn, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${secret}`),
    });
  });
}
