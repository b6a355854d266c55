import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { resetClock as resetLocalClock, setClock as setLocalClock } from '../../shared/clock';
import { certificateKeys } from '../../shared/store/keys';
import type { Training } from '../../shared/schemas/training';
import {
  api,
  call,
  drainStreams,
  emailsTo,
  newPerson,
  publishTraining,
  resetClock,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
} from '../support/api';
import { inProcessWorkflow, workerContext, type StreamHandler } from '../support/workflow-worker';

const context = workerContext;
let workflow: StreamHandler;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  // This process plays two more Lambda workers next to the stack's own poller.
  workflow = await inProcessWorkflow();
  dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
});

afterEach(async () => {
  await resetClock();
  resetLocalClock();
});

async function settle(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await drainStreams();
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

describe('a resend under at-least-once delivery', () => {
  it('sends one email per resend request however often, and however concurrently, its work item arrives', async () => {
    const trainer = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
    const training: Training = await publishTraining(trainer, trainingBody({ capacity: 2, feedbackRequired: false }));
    const holder = await newPerson('Ұлжан Қайратқызы');
    const receipt = await call('register', `/api/trainings/${training.id}/registrations`, {
      token: holder.token,
      body: { fullName: holder.name },
    });
    expect(receipt.status, receipt.text).toBe(201);
    for (const session of training.sessions) {
      await setClock(new Date(Date.parse(session.startsAt) + 30 * 60_000));
      const sheet = await api('PUT', `/api/trainings/${training.id}/sessions/${session.id}/attendance`, {
        token: trainer,
        body: { records: [{ registrationId: receipt.body.registrationId, status: 'present' }] },
      });
      expect(sheet.status, sheet.text).toBe(200);
    }
    const afterTraining = new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 60 * 60_000);
    await setClock(afterTraining);
    // The in-process workers read the same clock as the stack: email claims' leases compare times.
    setLocalClock(afterTraining);
    expect((await api('POST', `/api/trainings/${training.id}/close`, { token: trainer })).status).toBe(200);
    await settle();
    const progress = await call('issuanceProgress', `/api/trainings/${training.id}/issuance`, { token: trainer });
    const certificateId = progress.body.items[0]!.certificateId!;

    const resent = await api('POST', `/api/certificates/${certificateId}/resend`, { token: trainer });
    expect(resent.status, resent.text).toBe(202);
    const { Items = [] } = await dynamodb.send(
      new QueryCommand({
        TableName: TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: certificateKeys.item(certificateId).pk }, ':prefix': { S: 'RESEND#' } },
        ConsistentRead: true,
      }),
    );
    expect(Items).toHaveLength(1);
    // Strings only in this item, so the SDK's and the stream's shapes coincide.
    const image = Items[0] as unknown as Record<string, StreamAttributeValue>;
    const record = {
      eventID: 'replayed-resend',
      eventName: 'INSERT' as const,
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
    };
    const event: DynamoDBStreamEvent = { Records: [record, record] };
    await Promise.all([workflow(event, context), workflow(event, context)]);
    await workflow(event, context);
    await settle();
    // The first email and exactly one more.
    expect(await emailsTo(holder.email, /Сертификатыңыз/)).toHaveLength(2);
  });
});
