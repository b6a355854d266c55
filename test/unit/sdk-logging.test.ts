import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { sdkLoggerMiddleware } from '../../shared/observability/sdk-logging';

process.env.TABLE_NAME = 'unit-table';
process.env.CERTIFICATES_BUCKET = 'unit-bucket';
process.env.MAIL_FROM = 'no-reply@example.kz';

const carriesLogger = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().some((entry) => entry.startsWith(`${sdkLoggerMiddleware} `));

describe("the SDK's logger middleware (shared/observability/sdk-logging.ts)", () => {
  it('is on a client the SDK builds by default, under the name we remove', () => {
    expect(carriesLogger(new DynamoDBClient({}))).toBe(true);
  });

  it('is off on every client the functions send DynamoDB, S3 and SES calls through', async () => {
    // The clients read their environment when they load, so they are imported after it is set.
    const [{ documentClient, dynamoDb }, { s3 }, { ses }] = await Promise.all([
      import('../../shared/store/client'),
      import('../../shared/files/client'),
      import('../../shared/mail/client'),
    ]);
    for (const client of [dynamoDb, documentClient, s3, ses]) expect(carriesLogger(client)).toBe(false);
  });

  it("is off on the local stream poller's clients, which share a thread with the consumers", async () => {
    const { streamSourceClients } = await import('../../local/stream-source');
    const { tables, streams } = streamSourceClients({ endpoint: 'http://127.0.0.1:1' });
    expect(carriesLogger(tables)).toBe(false);
    expect(carriesLogger(streams)).toBe(false);
  });
});
