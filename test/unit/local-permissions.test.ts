/**
 * The local runtime's permission check, on the very clients every handler shares: each call made
 * inside a function's invocation is refused unless its manifest `permissions` grant it, with the
 * error the AWS service would return. A fake transport answers the calls that get through, so a
 * refusal can only come from the check.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBServiceException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Permissions from '../../local/permissions';
import type * as Files from '../../shared/files/client';
import type * as Mail from '../../shared/mail/client';
import type * as CheckInKey from '../../shared/secrets/check-in-key';
import type * as Store from '../../shared/store/client';
import { consumerList, eventRuleList, routeList, scheduleList, type Permissions as Grants } from '../../shared/manifest';
import { installSecretAccessCheck } from '../../shared/secrets/access';

Object.assign(process.env, {
  TABLE_NAME: 'unit-table',
  CERTIFICATES_BUCKET: 'unit-bucket',
  MAIL_FROM: 'Test <no-reply@test.local>',
  CHECK_IN_SECRET: 'x'.repeat(40),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
});

let permissions: typeof Permissions;
let clients: {
  documentClient: typeof Store.documentClient;
  dynamoDb: typeof Store.dynamoDb;
  s3: typeof Files.s3;
  ses: typeof Mail.ses;
};
let checkInKey: typeof CheckInKey.checkInKey;
const denied: string[] = [];
const sent: string[] = [];

beforeAll(async () => {
  permissions = await import('../../local/permissions');
  const store = await import('../../shared/store/client');
  const files = await import('../../shared/files/client');
  const mail = await import('../../shared/mail/client');
  ({ checkInKey } = await import('../../shared/secrets/check-in-key'));
  clients = { documentClient: store.documentClient, dynamoDb: store.dynamoDb, s3: files.s3, ses: mail.ses };
  for (const client of [store.dynamoDb, files.s3, mail.ses]) {
    const stack = client.middlewareStack as typeof store.dynamoDb.middlewareStack;
    // The fake transport: whatever passes the check is answered here, without a network.
    stack.add(
      (_next, context) => async () => {
        sent.push(context.commandName ?? '');
        return { output: { $metadata: {}, Attributes: { added: 1 } }, response: {} };
      },
      { step: 'serialize', name: 'fakeTransport', priority: 'high' },
    );
  }
  permissions.enforcePermissions({ dynamodb: store.dynamoDb, s3: files.s3, ses: mail.ses }, (fn, action) => denied.push(`${fn.name} ${action}`));
});
afterAll(() => installSecretAccessCheck(undefined));

function as<T>(grants: Grants, work: () => Promise<T>, name = 'testFunction'): Promise<T> {
  return permissions.asFunction({ name, permissions: grants }, work)();
}

const key = { pk: 'A', sk: 'B' };
const tableWrites = () => [
  clients.documentClient.send(new PutCommand({ TableName: 'unit-table', Item: key })),
  clients.documentClient.send(new UpdateCommand({ TableName: 'unit-table', Key: key, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } })),
  clients.documentClient.send(new DeleteCommand({ TableName: 'unit-table', Key: key })),
  clients.documentClient.send(new BatchWriteCommand({ RequestItems: { 'unit-table': [{ PutRequest: { Item: key } }] } })),
  clients.documentClient.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: { TableName: 'unit-table', Key: key, ConditionExpression: 'attribute_exists(pk)' } }, { Put: { TableName: 'unit-table', Item: key } }] })),
];

async function expectAccessDenied(call: Promise<unknown>, type: abstract new (...args: never[]) => Error, name: string, status: number, action: string) {
  const error: unknown = await call.then(() => undefined, (caught: unknown) => caught);
  expect(error, `${action} went through`).toBeInstanceOf(type);
  expect(error).toMatchObject({ name, $fault: 'client', $metadata: { httpStatusCode: status } });
  expect((error as Error).message).toContain(`is not authorized to perform: ${action}`);
  expect((error as Error).message).toContain('shared/manifest.ts');
}

describe('the table', () => {
  it("`table: 'read'` reads and is refused every write, as DynamoDB refuses it", async () => {
    await as({ table: 'read' }, async () => {
      await clients.documentClient.send(new GetCommand({ TableName: 'unit-table', Key: key }));
      await clients.documentClient.send(new QueryCommand({ TableName: 'unit-table', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'A' } }));
      await clients.dynamoDb.send(new DescribeTableCommand({ TableName: 'unit-table' }));
      const actions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'];
      const writes = tableWrites();
      for (const [index, write] of writes.entries()) await expectAccessDenied(write, DynamoDBServiceException, 'AccessDeniedException', 400, actions[index]!);
    });
    expect(denied.at(-1)).toBe('testFunction dynamodb:PutItem');
  });

  it('no table permission refuses even a read; readWrite allows the writes but never table administration', async () => {
    await as({}, () => expectAccessDenied(clients.documentClient.send(new GetCommand({ TableName: 'unit-table', Key: key })), DynamoDBServiceException, 'AccessDeniedException', 400, 'dynamodb:GetItem'));
    await as({ table: 'readWrite' }, async () => {
      await Promise.all(tableWrites());
      await expectAccessDenied(clients.dynamoDb.send(new UpdateTimeToLiveCommand({ TableName: 'unit-table', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } })), DynamoDBServiceException, 'AccessDeniedException', 400, 'dynamodb:UpdateTimeToLive');
      await expectAccessDenied(clients.dynamoDb.send(new CreateTableCommand({ TableName: 'x', AttributeDefinitions: [], KeySchema: [], BillingMode: 'PAY_PER_REQUEST' })), DynamoDBServiceException, 'AccessDeniedException', 400, 'dynamodb:CreateTable');
    });
  });

  it('keeps concurrent invocations apart: each call is judged by its own function', async () => {
    const reader = as({ table: 'read' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return clients.documentClient.send(new PutCommand({ TableName: 'unit-table', Item: key })).then(() => 'written', () => 'refused');
    }, 'reader');
    const writer = as({ table: 'readWrite' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return clients.documentClient.send(new PutCommand({ TableName: 'unit-table', Item: key })).then(() => 'written', () => 'refused');
    }, 'writer');
    expect(await Promise.all([reader, writer])).toEqual(['refused', 'written']);
  });

  it('checks nothing outside an invocation (the runtime itself, the demo seed)', async () => {
    await expect(clients.documentClient.send(new PutCommand({ TableName: 'unit-table', Item: key }))).resolves.toBeDefined();
  });
});

describe('the certificates bucket', () => {
  const put = () => clients.s3.send(new PutObjectCommand({ Bucket: 'unit-bucket', Key: 'certificates/c.pdf', Body: 'pdf' }));
  it('needs `certificatesBucket` to read and `readWrite` to put; nothing may delete', async () => {
    await as({ table: 'read' }, () => expectAccessDenied(clients.s3.send(new GetObjectCommand({ Bucket: 'unit-bucket', Key: 'k' })), S3ServiceException, 'AccessDenied', 403, 's3:GetObject'));
    await as({ certificatesBucket: 'read' }, async () => {
      await clients.s3.send(new GetObjectCommand({ Bucket: 'unit-bucket', Key: 'k' }));
      await clients.s3.send(new HeadObjectCommand({ Bucket: 'unit-bucket', Key: 'k' }));
      await clients.s3.send(new HeadBucketCommand({ Bucket: 'unit-bucket' }));
      await expectAccessDenied(put(), S3ServiceException, 'AccessDenied', 403, 's3:PutObject');
    });
    await as({ certificatesBucket: 'readWrite' }, async () => {
      await put();
      await expectAccessDenied(clients.s3.send(new DeleteObjectCommand({ Bucket: 'unit-bucket', Key: 'k' })), S3ServiceException, 'AccessDenied', 403, 's3:DeleteObject');
    });
  });
});

describe('email', () => {
  const send = () => clients.ses.send(new SendEmailCommand({ FromEmailAddress: 'a@b.kz', Destination: { ToAddresses: ['c@d.kz'] }, Content: { Raw: { Data: new Uint8Array([1]) } } }));
  it('is refused without `sendEmail`, even with every other grant', async () => {
    await as({ table: 'readWrite', certificatesBucket: 'readWrite', checkInSecret: true, badgeKey: true }, () => expectAccessDenied(send(), SESv2ServiceException, 'AccessDeniedException', 403, 'ses:SendEmail'));
    await as({ sendEmail: false }, () => expectAccessDenied(send(), SESv2ServiceException, 'AccessDeniedException', 403, 'ses:SendEmail'));
    await as({ sendEmail: true }, send);
  });
});

describe('secrets', () => {
  it('a key cached by one function is still refused to a function without the grant', async () => {
    const key = await as({ checkInSecret: true }, checkInKey);
    expect(key.byteLength).toBe(40);
    await as({ table: 'readWrite', badgeKey: true }, () => expectAccessDenied(checkInKey(), Error, 'AccessDeniedException', 400, 'secretsmanager:GetSecretValue'));
    expect(denied.at(-1)).toBe('testFunction secretsmanager:GetSecretValue (checkInSecret)');
  });
});

describe('the manifest', () => {
  it('grants nothing the check does not know: every entry maps to actions the local runtime can judge', () => {
    const known: (keyof Grants)[] = ['table', 'certificatesBucket', 'sendEmail', 'checkInSecret', 'badgeKey', 'cursorKey'];
    for (const entry of [...routeList, ...consumerList, ...scheduleList, ...eventRuleList]) {
      for (const grant of Object.keys(entry.permissions)) expect(known, `${entry.name}: ${grant}`).toContain(grant);
    }
  });
});
