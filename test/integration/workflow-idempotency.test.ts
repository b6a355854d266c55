import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamAttributeValue, Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { CERTIFICATES_BUCKET, TABLE_NAME } from '../../local/stack';
import { registrationKeys } from '../../shared/store/keys';
import type { Training } from '../../shared/schemas/training';
import { api, drainStreams, emailsTo, eventually, tokenFor, trainingBody, uniqueAccount } from '../support/api';

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

let workflow: StreamHandler;
const context = { awsRequestId: 'test', functionName: 'workflow', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

beforeAll(async () => {
  // This process plays a second Lambda worker next to the stack's own poller.
  Object.assign(process.env, {
    TABLE_NAME,
    CERTIFICATES_BUCKET,
    MAIL_FROM: 'no-reply@training.local',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_SESV2: inject('sesUrl'),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  ({ handler: workflow } = await import('../../functions/streams/workflow'));
});

describe('the workflow consumer under at-least-once delivery', () => {
  it('sends one confirmation however often, and however concurrently, the record is delivered', async () => {
    const trainer = await tokenFor(uniqueAccount('trainers'));
    const teacherAccount = uniqueAccount('teachers', 'Һадия Үсенова');
    const teacher = await tokenFor(teacherAccount);
    const created = await api<Training>('POST', '/api/trainings', { token: trainer, body: trainingBody() });
    await api('POST', `/api/trainings/${created.body.id}/publish`, { token: trainer });
    expect((await api('POST', `/api/trainings/${created.body.id}/registrations`, { token: teacher, body: { fullName: 'Һадия Үсенова' } })).status).toBe(201);
    await eventually(async () => ((await emailsTo(teacherAccount.email)).length === 1 ? true : undefined), { what: 'first email' });

    const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: registrationKeys.item(created.body.id, teacherAccount.email).pk }, sk: { S: registrationKeys.item(created.body.id, teacherAccount.email).sk } } }),
    );
    dynamodb.destroy();
    // Strings and numbers only in this item, so the SDK's and the stream's shapes coincide.
    const image = Item as unknown as Record<string, StreamAttributeValue>;
    const record: DynamoDBRecord = {
      eventID: 'replayed',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' },
    };
    const event: DynamoDBStreamEvent = { Records: [record, record] };

    const results = await Promise.all([workflow(event, context), workflow(event, context), workflow(event, context)]);
    // A worker that finds the email claimed by another may report the record as failed, so the
    // stream retries it; it must never send a second email.
    await workflow(event, context);
    for (const result of results) expect(result.batchItemFailures.length).toBeLessThanOrEqual(2);
    await drainStreams();
    expect(await emailsTo(teacherAccount.email)).toHaveLength(1);
  });
});
