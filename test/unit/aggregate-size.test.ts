/**
 * Aggregate items stay small because their attribute names are built from bounded parts only:
 * vocabulary topic ids, levels and trainer ids. A synthetic decade shows the sizes that follow;
 * the worst case the vocabulary allows is computed; reconcile refuses to go on past 300 KB.
 */
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TOPICS, TOPIC_ID_MAX_LENGTH, seededTopics } from '../../shared/config/topics';
import {
  ACTIVE_MULTIPLIERS,
  NAME_SEPARATOR,
  addContribution,
  counterName,
  deriveActiveMultipliers,
  multiplierCounterName,
  regionCounters,
  type AggregateSums,
  type TrainingFacts,
} from '../../shared/domain/aggregates';
import { itemSize } from '../../shared/store/item-size';
import type * as Analytics from '../../shared/usecases/analytics';
import type * as Reconcile from '../../shared/usecases/reconcile';
import type * as Synthetic from '../../scripts/synthetic';
import type * as ReconcileStore from '../../shared/store/reconcile';
import type * as Trainings from '../../shared/store/trainings';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

let analytics: typeof Analytics;
let reconcile: typeof Reconcile;
let synthetic: typeof Synthetic;
let reconcileStore: typeof ReconcileStore;
let trainings: typeof Trainings;
beforeAll(async () => {
  analytics = await import('../../shared/usecases/analytics');
  reconcile = await import('../../shared/usecases/reconcile');
  synthetic = await import('../../scripts/synthetic');
  reconcileStore = await import('../../shared/store/reconcile');
  trainings = await import('../../shared/store/trainings');
});
beforeEach(() => documentMock.reset());

const KB = 1024;
const vocabulary = new Set(seededTopics.map((topic) => topic.id));

describe('attribute names hold no user text', () => {
  it('refuses a topic that is not a vocabulary id, and any part holding the separator', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(...regionCounters), fc.integer({ min: 0, max: 2 }), (topic, counter, level) => {
        const isId = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(topic) && topic.length <= TOPIC_ID_MAX_LENGTH;
        if (isId) expect(counterName(counter, level, topic).split(NAME_SEPARATOR)).toEqual([counter, String(level), topic]);
        else expect(() => counterName(counter, level, topic)).toThrow(RangeError);
      }),
      { numRuns: 500 },
    );
    for (const topic of ['Lesson Study', 'a|b', 'lesson-study|x', '=cmd', 'Көшбасшылық', '', 'x'.repeat(TOPIC_ID_MAX_LENGTH + 1)]) {
      expect(() => counterName('held', 1, topic)).toThrow(RangeError);
      expect(() => multiplierCounterName(1, topic, 'sub-1')).toThrow(RangeError);
    }
    expect(() => multiplierCounterName(1, 'lesson-study', 'sub|held|1|x')).toThrow(RangeError);
    expect(multiplierCounterName(2, 'lesson-study', '0f8fad5b-d9cb-469f-a165-70867728950e').split(NAME_SEPARATOR)).toHaveLength(4);
  });
});

describe('item sizes, by DynamoDB rules', () => {
  it('counts names and strings in UTF-8 bytes and numbers by their digits', () => {
    expect(itemSize({ a: 'xyz' })).toBe(4);
    // "Ә" is two bytes in UTF-8.
    expect(itemSize({ 'Ә': 'ӘӘ' })).toBe(6);
    expect(itemSize({ n: 12345 })).toBe(1 + 4);
    expect(itemSize({ n: 0 })).toBe(1 + 2);
    expect(itemSize({ m: { k: 1 } })).toBe(1 + 3 + 1 + 1 + 2);
  });
});

function regionTotalItem(topics: readonly string[], levels: readonly number[], value: number): Record<string, unknown> {
  const item: Record<string, unknown> = { pk: 'AGG#REGION#turkistan', sk: 'TOTAL', type: 'Aggregate', [ACTIVE_MULTIPLIERS]: value };
  for (const topic of topics) for (const level of levels) for (const counter of regionCounters) item[counterName(counter, level, topic)] = value;
  return item;
}

describe('every aggregate item stays under 100 KB', () => {
  it('in the worst case the vocabulary allows: every topic, at its longest id, at every level', () => {
    const longest = Array.from({ length: MAX_TOPICS }, (_, index) => `t${String(index).padStart(TOPIC_ID_MAX_LENGTH - 1, '0')}`);
    const item = regionTotalItem(longest, [0, 1, 2], 9_999_999);
    expect(Object.keys(item).length).toBeGreaterThan(MAX_TOPICS * 3 * regionCounters.length);
    expect(itemSize(item)).toBeLessThan(100 * KB);
  });

  it('over a synthetic decade (scripts/synthetic.ts), as reconcile would write them', () => {
    // One national cascade a year by default (~30,000 source items each); SYNTHETIC_PER_YEAR=35
    // is the full-size year of `npm run seed:synthetic`.
    const perYear = Number(process.env.SYNTHETIC_PER_YEAR ?? 1);
    const sums: AggregateSums = new Map();
    const facts = new Map<string, TrainingFacts>();
    let sources = 0;
    for (let year = 2026; year < 2036; year++) {
      for (let k = 0; k < perYear; k++) {
        // The index picks the topic: rotate so the decade uses the whole seeded vocabulary.
        const index = (year - 2026) * perYear + k;
        const items = synthetic.nationalCascade(year, index, index * synthetic.CERTIFICATES_PER_NATIONAL * 2);
        for (const item of items) {
          if (item.type !== 'Training') continue;
          const training = trainings.trainingFromItem(item);
          facts.set(training.id, training);
        }
        for (const item of items) {
          const contribution = analytics.contributionOf(item, (id) => facts.get(id));
          if (!contribution) continue;
          sources++;
          addContribution(sums, contribution);
        }
      }
    }
    deriveActiveMultipliers(sums);
    // A decade of sources (trainings, registrations, certificates, each training's released feedback).
    expect(sources).toBeGreaterThan(200_000);

    let largest = { id: '', bytes: 0 };
    const topicsSeen = new Set<string>();
    for (const [id, { target, values }] of sums) {
      const bytes = itemSize(reconcileStore.aggregateItem(target, values));
      if (bytes > largest.bytes) largest = { id, bytes };
      for (const name of Object.keys(values.add)) {
        const parts = name.split(NAME_SEPARATOR);
        if (parts.length < 3) continue;
        // Every counter names a vocabulary topic: nothing a trainer typed.
        expect(vocabulary.has(parts[2]!), name).toBe(true);
        topicsSeen.add(parts[2]!);
      }
    }
    expect(topicsSeen).toEqual(vocabulary);
    const regionTotals = [...sums.values()].filter((entry) => entry.target.kind === 'regionTotal');
    expect(regionTotals).toHaveLength(20);
    console.log(`synthetic decade (${perYear} per year, ${sources} sources): largest aggregate item ${largest.id}, ${(largest.bytes / KB).toFixed(1)} KB`);
    expect(largest.bytes).toBeLessThan(100 * KB);
  }, 120_000);
});

describe('reconcile reports the largest aggregate item and fails loudly above 300 KB', () => {
  const training = {
    pk: 'TRAINING#t1', sk: 'TRAINING', type: 'Training', id: 't1', region: 'almaty', level: 1, topic: 'lesson-study', status: 'closed',
    title: { kk: 'Сабақ' }, sessions: [{ id: 's', startsAt: '2026-03-02T05:00:00.000Z', endsAt: '2026-03-02T08:00:00.000Z' }],
    trainer: { sub: 'sub-1', name: 'Әсел', email: 'a@x.kz' }, publishedAt: '2026-02-01T00:00:00.000Z',
  };

  function tableWith(monthItem: Record<string, unknown>) {
    documentMock.on(ScanCommand).resolves({ Items: [training] });
    documentMock.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [monthItem] } });
    documentMock.on(BatchWriteCommand).resolves({});
  }

  it('names the largest item and its size', async () => {
    tableWith({ pk: 'AGG#REGION#almaty', sk: 'MONTH#2026-03', type: 'Aggregate', [counterName('scheduled', 1, 'lesson-study')]: 1, [counterName('held', 1, 'lesson-study')]: 1 });
    const report = await reconcile.reconcile({ repair: true, markers: false, segments: 1 });
    expect(report.largestAggregate?.item).toMatch(/^AGG#REGION#almaty\n(MONTH#2026-03|TOTAL)$/);
    expect(report.largestAggregate!.bytes).toBeGreaterThan(20);
    expect(report.largestAggregate!.bytes).toBeLessThan(KB);
  });

  it('stops before repairing anything when a stored item is above 300 KB', async () => {
    // What an unbounded counter would have grown to: 7,000 names of about 45 bytes.
    const bloated: Record<string, unknown> = { pk: 'AGG#REGION#almaty', sk: 'MONTH#2026-03', type: 'Aggregate' };
    for (let index = 0; index < 7_000; index++) bloated[`scheduled|1|free text typed by trainer number ${index}`] = 1;
    expect(itemSize(bloated)).toBeGreaterThan(300 * KB);
    tableWith(bloated);
    const run = reconcile.reconcile({ repair: true, markers: false, segments: 1 });
    await expect(run).rejects.toThrow(reconcile.AggregateItemTooLargeError);
    await expect(run).rejects.toThrow(/AGG#REGION#almaty \/ MONTH#2026-03 is 3\d\d\.\d KB, above the 300 KB alarm/);
    expect(documentMock.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
