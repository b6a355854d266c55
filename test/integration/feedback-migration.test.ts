/**
 * `npm run migrate:feedback` on a table written the way the product wrote feedback before the
 * release rule: a `feedbackSubmittedAt` flag on each registration, anonymous responses, and an
 * analytics marker per response holding its stream sequence number and its rating.
 */
import { DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useStackTable } from '../support/stack-table';
import { TABLE_NAME } from '../../local/stack';
import { setClock as setWorkerClock, resetClock as resetWorkerClock } from '../../shared/clock';
import type { Training } from '../../shared/schemas/training';
import type * as Migration from '../../shared/usecases/migrate-feedback';
import { aggregateKeys, feedbackKeys, registrationKeys, trainingKeys } from '../../shared/store/keys';
import { api, drainStreams, type ErrorBody, newPerson, publishTraining, resetClock, setClock, tokenFor, trainingBody, uniqueAccount, call } from '../support/api';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dynamo: DynamoDBClient;
let trainer: string;
let migrateFeedback: typeof Migration.migrateFeedback;

beforeAll(async () => {
  useStackTable();
  ({ migrateFeedback } = await import('../../shared/usecases/migrate-feedback'));
  dynamo = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  trainer = await tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов'));
});

afterAll(async () => {
  resetWorkerClock();
  await resetClock();
  dynamo.destroy();
});

async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({ TableName: TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true }),
  );
  return Items.map((item) => unmarshall(item));
}

/** What the former submission wrote: a response, the registration's flag; then the former consumer's marker. */
async function writeLikeBefore(training: Training, email: string, overall: number, sequence: number): Promise<void> {
  const responseKey = feedbackKeys.response(training.id, `old${sequence}`);
  await dynamo.send(
    new PutItemCommand({
      TableName: TABLE_NAME,
      Item: marshall({
        ...responseKey,
        type: 'FeedbackResponse',
        trainingId: training.id,
        ratings: { overall, relevance: 4, trainer: 4, materials: 4, recommend: 4 },
        answers: { influence: `Бұрынғы жауап ${sequence}` },
      }),
    }),
  );
  const registration = registrationKeys.item(training.id, email);
  await dynamo.send(
    new UpdateItemCommand({
      TableName: TABLE_NAME,
      Key: marshall(registration),
      UpdateExpression: 'SET feedbackSubmittedAt = :at',
      ExpressionAttributeValues: marshall({ ':at': new Date(Date.parse(training.sessions.at(-1)!.endsAt) + sequence * HOUR).toISOString() }),
    }),
  );
  await dynamo.send(
    new PutItemCommand({
      TableName: TABLE_NAME,
      Item: marshall({
        ...aggregateKeys.source(responseKey.pk, responseKey.sk),
        type: 'AggregateSource',
        sequence: String(sequence).padStart(40, '0'),
        contribution: JSON.stringify([{ target: { kind: 'regionMonth', region: training.region, month: '2026-01' }, add: { 'ratingSum|0|teacher-leadership': overall } }]),
      }),
    }),
  );
}

describe('migrating feedback written before the release rule', () => {
  it('moves the flags to per-person marks, releases ended windows, drops the per-response markers — and a second run changes nothing', async () => {
    const training = await publishTraining(trainer, trainingBody({ capacity: 6 }, Date.now(), 70));
    const people = await Promise.all(['Айгүл Сәтбаева', 'Бауыржан Әлиев', 'Гүлім Өтепова', 'Дәурен Қасенов', 'Еркін Нұров', 'Жанна Ұзақова'].map((name) => newPerson(name)));
    for (const who of people) {
      const registered = await api('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
      expect(registered.status, registered.text).toBe(201);
    }
    await drainStreams();
    for (const [index, who] of people.slice(0, 5).entries()) await writeLikeBefore(training, who.email, 1 + index, 100 + index);

    // The window has ended by the time the migration runs.
    const afterWindow = new Date(Date.parse(training.sessions.at(-1)!.endsAt) + 31 * DAY);
    setWorkerClock(afterWindow);
    await setClock(afterWindow);
    await drainStreams();
    // The table is shared with the other files' trainings: the counts are at least this one's.
    const report = await migrateFeedback({ untilStreamApplied: drainStreams });
    expect(report.statesWritten).toBeGreaterThanOrEqual(1);
    expect(report.released).toBeGreaterThanOrEqual(1);
    expect(report.marksWritten).toBeGreaterThanOrEqual(10);
    expect(report.responseMarkersDeleted).toBeGreaterThanOrEqual(5);

    const items = await partition(trainingKeys.item(training.id).pk);
    expect(items.filter((item) => item.type === 'FeedbackGiven')).toHaveLength(10);
    expect(items.find((item) => item.sk === 'FEEDBACKSTATE')).toMatchObject({ responses: 5, releaseReason: 'window_ended', ratingsReleased: true });
    const markers = await partition(aggregateKeys.source(trainingKeys.item(training.id).pk, '').pk);
    expect(markers.filter((marker) => String(marker.sk).startsWith('FEEDBACK#'))).toEqual([]);
    for (const marker of markers) expect(JSON.stringify(marker)).not.toMatch(/ratingSum/);

    // The released summary is what the old answers said.
    const summary = await call('feedbackSummary', `/api/trainings/${training.id}/feedback/summary`, { token: trainer });
    expect(summary.status, summary.text).toBe(200);
    expect(summary.body.responses).toBe(5);
    expect(summary.body.ratings?.overall.mean).toBe(3);

    // A second run writes nothing new.
    const again = await migrateFeedback({ untilStreamApplied: drainStreams });
    expect(again).toMatchObject({ marksWritten: 0, statesWritten: 0, released: 0, responseMarkersDeleted: 0 });
    expect(again.reconcile.driftItems).toBe(0);
  });

  it('keeps a migrated person from answering again through a new registration', async () => {
    resetWorkerClock();
    await resetClock();
    const body = trainingBody({ capacity: 6 }, Date.now(), 80);
    const lastEnd = Math.max(...body.sessions.map((session) => Date.parse(session.endsAt)));
    const training = await publishTraining(trainer, { ...body, registrationClosesAt: new Date(lastEnd - HOUR).toISOString() });
    const teacher = await newPerson('Қанат Жұмабаев');
    expect((await api('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body: { fullName: teacher.name } })).status).toBe(201);
    await writeLikeBefore(training, teacher.email, 5, 900);
    await migrateFeedback({ untilStreamApplied: drainStreams });

    await setClock(new Date(Date.parse(training.sessions.at(-1)!.startsAt) + HOUR));
    expect((await api('DELETE', `/api/trainings/${training.id}/registrations/me`, { token: teacher.token })).status).toBe(200);
    expect((await api('POST', `/api/trainings/${training.id}/registrations`, { token: teacher.token, body: { fullName: teacher.name } })).status).toBe(201);
    const second = await api<ErrorBody>('POST', `/api/trainings/${training.id}/feedback`, {
      token: teacher.token,
      body: { ratings: { overall: 1, relevance: 1, trainer: 1, materials: 1, recommend: 1 } },
    });
    expect(second.status, second.text).toBe(409);
    expect(second.body.error.reason).toBe('already_submitted');
  });
});
