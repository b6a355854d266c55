/**
 * The analytics consumer applies a batch as a whole: records of one batch share transactions,
 * one part per aggregate item. These are the deliveries that could make a shared transaction
 * count something twice or lose it — the same record twice in a batch, a batch retried after a
 * crash between two of its transactions, two workers on overlapping batches — run against the
 * stack's DynamoDB with the consumer loaded into this process as extra Lambda workers. Each ends
 * with the aggregates equal to the sum of the current images' contributions (what reconcile
 * recomputes), and each marker at its source's newest record.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paddedSequence, sumContributions, targetId, type AggregateTarget, type Contribution } from '../../shared/domain/aggregates';
import type { Training } from '../../shared/schemas/training';
import type * as Analytics from '../../shared/usecases/analytics';
import type * as Faults from '../../shared/faults';
import type * as Keys from '../../shared/store/keys';
import { entityTypes } from '../../shared/store/entity-types';
import { drainStreams } from '../support/api';
import { partitionItems, rawTableClient, useStackTable } from '../support/stack-table';

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
type Image = Record<string, unknown>;

const context = { awsRequestId: 'test', functionName: 'analytics', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const REGION = 'ulytau';

let handler: Handler;
let analytics: typeof Analytics;
let faults: typeof Faults;
let keys: typeof Keys;

beforeAll(async () => {
  useStackTable();
  ({ handler } = await import('../../functions/streams/analytics'));
  analytics = await import('../../shared/usecases/analytics');
  faults = await import('../../shared/faults');
  keys = await import('../../shared/store/keys');
});

// The records these tests deliver exist only in the stream, never as items: the aggregates they
// leave are right by the records and wrong by the table. Other files reconcile the whole shared
// table and expect no drift, so once the stream is quiet the table's truth is written back.
afterAll(async () => {
  await drainStreams();
  const { reconcile } = await import('../../shared/usecases/reconcile');
  await reconcile({ repair: true });
});

let sequence = 1_000_000;

/** One scenario's world: a published multiplier training in a month of its own, and its source images. */
async function world(month: string) {
  const id = `ab-${month}-${Math.random().toString(36).slice(2, 8)}`;
  const trainerSub = `sub-${id}`;
  const training: Training = {
    id,
    title: { kk: 'Пакет сынағы' },
    topic: 'lesson-study',
    language: 'kk',
    region: REGION,
    level: 1,
    hours: 6,
    capacity: 500,
    completionThreshold: 0.8,
    feedbackRequired: false,
    status: 'published',
    sessions: [{ id: 's1', startsAt: `${month}-10T05:00:00.000Z`, endsAt: `${month}-10T08:00:00.000Z` }],
    trainer: { sub: trainerSub, name: 'Ерлан', email: `${id}@x.kz` },
    publishedAt: `${month}-01T00:00:00.000Z`,
    createdAt: `${month}-01T00:00:00.000Z`,
    updatedAt: `${month}-01T00:00:00.000Z`,
    qualifyingCertificateId: `q-${id}`,
    qualifyingCertificateNumber: 'DESTT-2026-ULY-000001',
    qualifyingCertificateIssuedAt: '2026-01-01T00:00:00.000Z',
    parentTrainingId: `root-${id}`,
    cascadeRootId: `root-${id}`,
  };
  const { insertTraining } = await import('../../shared/store/trainings');
  // The stack's own consumer applies this one; the records below exist only in the stream.
  await insertTraining(training);
  await drainStreams();
  const trainingImage: Image = { ...keys.trainingKeys.item(id), type: entityTypes.training, ...training, version: 1 };
  const registration = (n: number, status: string): Image => ({
    pk: `TRAINING#${id}`,
    sk: `REG#p${n}@x.kz`,
    type: entityTypes.registration,
    trainingId: id,
    status,
  });
  const certificate = (n: number, status: 'valid' | 'revoked'): Image => ({
    pk: `CERT#${id}-c${n}`,
    sk: 'CERT',
    type: entityTypes.certificate,
    trainingId: id,
    status,
  });
  // A second training of the same trainer, known only by its stream records: it moves the
  // multiplier's trainingsHeld (and the region's active-multiplier count) as it is held and cancelled.
  const sibling = (status: Training['status']): Image => ({ ...trainingImage, ...keys.trainingKeys.item(`${id}-2`), id: `${id}-2`, status });
  return { training, trainingImage, registration, certificate, sibling, trainerSub };
}

function record(image: Image, at = ++sequence): DynamoDBRecord {
  return {
    eventName: 'MODIFY',
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }) as never,
      NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(at),
    },
  };
}

const deliver = (records: readonly DynamoDBRecord[]) => handler({ Records: structuredClone([...records]) }, context);

/** The aggregates the stored images add up to, by target id (what reconcile would write). */
function expected(images: readonly Image[], training: Training): Map<string, { target: AggregateTarget; add: Record<string, number>; descriptions: Set<string> }> {
  const contributions: Contribution[] = images.map((image) => analytics.contributionOf(image, (trainingId) => (trainingId === training.id ? training : undefined)) ?? []);
  return new Map(
    [...sumContributions(contributions)].map(([id, { target, values }]) => [id, { target, add: values.add, descriptions: new Set(Object.keys(values.set)) }]),
  );
}

function nonZero(values: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== 0));
}

/** Every aggregate item the world touches, except the region's all-time item (other tests add to it), as stored. */
async function expectAggregatesToBe(want: ReturnType<typeof expected>) {
  const { keyOfTarget } = await import('../../shared/store/aggregates');
  const client = rawTableClient();
  for (const [id, { target, add, descriptions }] of want) {
    if (target.kind === 'regionTotal') continue;
    const key = keyOfTarget(target);
    const stored = (await partitionItems(client, key.pk)).find((item) => item.sk === key.sk) ?? {};
    const counters = Object.fromEntries(Object.entries(nonZero(stored)).filter(([name]) => !descriptions.has(name)));
    expect(counters, id).toEqual(nonZero(add));
  }
  client.destroy();
}

async function markerSequence(image: Image): Promise<string | undefined> {
  const client = rawTableClient();
  const items = await partitionItems(client, keys.aggregateKeys.source(image.pk as string, image.sk as string).pk);
  client.destroy();
  return items.find((item) => item.sk === image.sk)?.sequence as string | undefined;
}

describe('the analytics consumer, batching its transactions', () => {
  it('counts a record delivered twice in one batch once, and an older image of the same source not at all', async () => {
    const w = await world('2033-01');
    const older = record(w.registration(1, 'waitlisted'));
    const newer = record(w.registration(1, 'confirmed'));
    const others = [2, 3, 4].map((n) => record(w.registration(n, 'confirmed')));
    const certificate = record(w.certificate(1, 'valid'));
    expect((await deliver([newer, older, ...others, newer, certificate, certificate])).batchItemFailures).toEqual([]);
    // The same batch again, later: nothing more.
    expect((await deliver([older, newer, ...others, certificate])).batchItemFailures).toEqual([]);

    const current = [w.trainingImage, w.registration(1, 'confirmed'), ...[2, 3, 4].map((n) => w.registration(n, 'confirmed')), w.certificate(1, 'valid')];
    await expectAggregatesToBe(expected(current, w.training));
    expect(await markerSequence(w.registration(1, 'confirmed'))).toBe(paddedSequence(newer.dynamodb!.SequenceNumber!));
  });

  it('recovers a batch that crashed between two of its transactions: the retry applies the rest, nothing twice', async () => {
    const w = await world('2033-02');
    // 150 sources on the same two region items: more than one transaction of 100 items.
    const records = Array.from({ length: 150 }, (_, n) => record(w.registration(n, n % 3 === 0 ? 'waitlisted' : 'confirmed')));
    faults.armFault('analytics.between-transactions', 1);
    await expect(deliver(records)).rejects.toThrow(/analytics.between-transactions/);
    // The first transaction's sources are applied, the rest are not.
    expect(await markerSequence(w.registration(0, 'waitlisted'))).toBeDefined();
    expect(await markerSequence(w.registration(149, 'confirmed'))).toBeUndefined();

    expect((await deliver(records)).batchItemFailures).toEqual([]);
    const current = [w.trainingImage, ...Array.from({ length: 150 }, (_, n) => w.registration(n, n % 3 === 0 ? 'waitlisted' : 'confirmed'))];
    await expectAggregatesToBe(expected(current, w.training));
    expect(await markerSequence(w.registration(149, 'confirmed'))).toBe(paddedSequence(records[149]!.dynamodb!.SequenceNumber!));
  });

  it('lets two workers on overlapping batches race: each source counted once, at its newest image', async () => {
    const w = await world('2033-03');
    const first = Array.from({ length: 120 }, (_, n) => record(w.registration(n, 'confirmed')));
    // The second half changes some of the same sources again, and certifies and revokes others.
    const second = [
      ...Array.from({ length: 60 }, (_, n) => record(w.registration(n, n % 2 === 0 ? 'cancelled' : 'confirmed'))),
      ...Array.from({ length: 30 }, (_, n) => record(w.certificate(n, n % 5 === 0 ? 'revoked' : 'valid'))),
      record(w.sibling('closed')),
    ];
    const all = [...first, ...second];
    const results = await Promise.all([deliver(all.slice(0, 150)), deliver(all.slice(60)), deliver(all.slice(30, 200))]);
    for (const result of results) expect(result.batchItemFailures).toEqual([]);
    // A late replay of the oldest records changes nothing.
    expect((await deliver(first.slice(0, 40))).batchItemFailures).toEqual([]);

    const current = [
      w.trainingImage,
      ...Array.from({ length: 120 }, (_, n) => w.registration(n, n < 60 && n % 2 === 0 ? 'cancelled' : 'confirmed')),
      ...Array.from({ length: 30 }, (_, n) => w.certificate(n, n % 5 === 0 ? 'revoked' : 'valid')),
      w.sibling('closed'),
    ];
    const want = expected(current, w.training);
    expect(want.get(targetId({ kind: 'multiplier', region: REGION, trainerSub: w.trainerSub }))?.add.trainingsHeld).toBe(1);
    await expectAggregatesToBe(want);
    expect(await markerSequence(w.registration(0, 'cancelled'))).toBe(paddedSequence(second[0]!.dynamodb!.SequenceNumber!));
  });
});
