/**
 * Recomputes every aggregate from the source items, compares it with the table and, if asked,
 * repairs the difference: the aggregate items, and the applied markers, so that later stream
 * records are measured against the right amounts. The proof, in tests, that the incremental
 * aggregates equal the recomputed ones.
 *
 * Run it while the stream is quiet (a record applied mid-run can show as drift); a second run
 * then reports zero.
 */
import { createHash } from 'node:crypto';
import { addContribution, deriveActiveMultipliers, type AggregateSums, type AppliedMarker, type Contribution, type TrainingFacts } from '../domain/aggregates';
import { readSourceItem } from '../store/aggregates';
import { entityTypes } from '../store/entity-types';
import { aggregateKeys } from '../store/keys';
import { aggregateItem, getItems, repairMarker, repairOnceMarker, scanTypes, segmentsForTableSize, writeAggregateItems } from '../store/reconcile';
import { itemSize } from '../store/item-size';
import { trainingFromItem } from '../store/trainings';
import { contributionOf } from './analytics';
import { releasedOnceTypes } from './analytics-survey';

type Item = Record<string, unknown>;

const SOURCE_TYPES = [entityTypes.registration, entityTypes.certificate, entityTypes.feedbackState, entityTypes.surveyState, entityTypes.surveyCandidate] as const;
const KEY_AND_TYPE = new Set(['pk', 'sk', 'type']);
const SOURCE_ATTRIBUTES = [
  'pk', 'sk', 'trainingId', 'status', 'ratings', 'releasedAt', 'responses', 'ratingsReleased',
  'id', 'region', 'level', 'topic', 'title', 'sessions', 'trainer', 'publishedAt',
  'qualifyingCertificateId', 'qualifyingCertificateNumber', 'qualifyingCertificateIssuedAt', 'parentTrainingId', 'cascadeRootId',
  // The follow-up survey's released wave states and named candidates (domain/survey-aggregates).
  'invitedAtRelease', 'figuresReleased', 'applied', 'colleagues', 'withdrawn',
];

export interface Drift {
  item: string;
  attribute: string;
  expected: number;
  actual: number;
}

export interface ReconcileReport {
  sourceItems: number;
  aggregateItems: number;
  /** The largest aggregate item, as stored or as recomputed, by DynamoDB's size rules. */
  largestAggregate: { item: string; bytes: number } | undefined;
  drift: Drift[];
  driftItems: number;
  markersRepaired: number;
  repaired: boolean;
}

export interface ReconcileOptions {
  repair: boolean;
  /** Repair the applied markers too (default). Off only for a table the consumer never saw (a benchmark's). */
  markers?: boolean;
  /** Parallel Scan segments; by default about one page each (see scanTypes). */
  segments?: number;
  /** Requests in flight at a time (default 4). */
  concurrency?: number;
  onProgress?: (phase: 'sources' | 'aggregates' | 'markers' | 'repair', done: number) => void;
}

/**
 * An aggregate item this large is a design fault (some counter grows without bound), and it is a
 * quarter short of DynamoDB's 400 KB limit, past which every write to it fails.
 */
export const AGGREGATE_ITEM_ALARM_BYTES = 300 * 1024;

export class AggregateItemTooLargeError extends Error {
  constructor(readonly item: string, readonly bytes: number) {
    super(
      `The aggregate item ${item.replace('\n', ' / ')} is ${(bytes / 1024).toFixed(1)} KB, above the ${AGGREGATE_ITEM_ALARM_BYTES / 1024} KB alarm ` +
        `(DynamoDB refuses items over 400 KB). Nothing was repaired: find which counters grow without bound before the item stops accepting writes.`,
    );
    this.name = 'AggregateItemTooLargeError';
  }
}

function hashOf(contribution: Contribution): string {
  return createHash('sha1').update(JSON.stringify(contribution)).digest('base64url');
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const segments = options.segments ?? (await segmentsForTableSize());
  const concurrency = options.concurrency ?? 4;
  const progress = options.onProgress ?? (() => undefined);
  const trainings = new Map<string, TrainingFacts>();
  const expected: AggregateSums = new Map();
  const keepMarkers = options.repair && options.markers !== false;
  // Per source item, a hash of what it contributes: compared with the markers without keeping
  // every contribution twice in memory.
  const expectedMarkers = new Map<string, string>();
  let sources = 0;

  const take = (item: Item) => {
    const contribution = contributionOf(item, (id) => trainings.get(id));
    if (!contribution) return;
    sources++;
    addContribution(expected, contribution);
    // No marker and an empty contribution are the same thing: drafts need none.
    if (keepMarkers && contribution.length > 0) expectedMarkers.set(`${item.pk as string}\n${item.sk as string}`, hashOf(contribution));
  };
  // One Scan of the source items, only the attributes the contributions read (a certificate is a
  // kilobyte, its count a few bytes). Trainings are taken as they come; the others wait for them.
  const waiting: Item[] = [];
  await scanTypes([entityTypes.training, ...SOURCE_TYPES], (items) => {
    for (const item of items) {
      if (item.type !== entityTypes.training) {
        waiting.push(item);
        continue;
      }
      const training = trainingFromItem(item);
      trainings.set(training.id, training);
      take(item);
    }
    progress('sources', sources + waiting.length);
  }, { segments, concurrency, projection: SOURCE_ATTRIBUTES });
  for (const item of waiting) take(item);
  waiting.length = 0;
  deriveActiveMultipliers(expected);
  progress('sources', sources);

  // The aggregate items the sources call for, read by key. (An aggregate item no source calls for
  // at all would need a source item deleted, which the product never does.)
  const drift: Drift[] = [];
  const driftIds = new Set<string>();
  const expectedByKey = new Map([...expected.values()].map((entry) => [keyString(aggregateItem(entry.target, entry.values)), entry]));
  const actual = await getItems([...expectedByKey.keys()].map((key) => {
    const [pk, sk] = key.split('\n') as [string, string];
    return { pk, sk };
  }), concurrency);
  const aggregates = actual.size;
  progress('aggregates', aggregates);
  for (const [key, entry] of expectedByKey) {
    const item = actual.get(key) ?? {};
    const setNames = new Set(Object.keys(entry.values.set));
    const names = new Set([
      ...Object.keys(entry.values.add),
      ...Object.entries(item).filter(([name, value]) => typeof value === 'number' && !KEY_AND_TYPE.has(name) && !setNames.has(name)).map(([name]) => name),
    ]);
    for (const name of names) {
      const want = entry.values.add[name] ?? 0;
      const have = typeof item[name] === 'number' ? item[name] : 0;
      if (want !== have) {
        drift.push({ item: key, attribute: name, expected: want, actual: have });
        driftIds.add(key);
      }
    }
  }

  // Both what the table holds and what the repair would write: either one outgrowing the limit is
  // the same fault.
  let largestAggregate: ReconcileReport['largestAggregate'];
  const measure = (item: string, bytes: number) => {
    if (!largestAggregate || bytes > largestAggregate.bytes) largestAggregate = { item, bytes };
  };
  for (const [key, entry] of expectedByKey) measure(key, itemSize(aggregateItem(entry.target, entry.values)));
  for (const [key, item] of actual) measure(key, itemSize(item));
  if (largestAggregate && largestAggregate.bytes > AGGREGATE_ITEM_ALARM_BYTES) {
    throw new AggregateItemTooLargeError(largestAggregate.item, largestAggregate.bytes);
  }

  if (options.repair) {
    const puts = [...driftIds].map((key) => {
      const entry = expectedByKey.get(key)!;
      return aggregateItem(entry.target, entry.values);
    });
    await writeAggregateItems(puts, []);
    progress('repair', puts.length);
  }
  let markersRepaired = 0;
  if (keepMarkers) {
    // Markers that differ from (or lack) the recomputed contribution are set to it.
    const stale: { pk: string; sk: string; marker?: AppliedMarker }[] = [];
    const seen = new Set<string>();
    await scanTypes([entityTypes.aggregateSource], (items) => {
      for (const item of items) {
        const source = aggregateKeys.sourceOfMarker({ pk: item.pk as string, sk: item.sk as string });
        const sourceKey = `${source.pk}\n${source.sk}`;
        seen.add(sourceKey);
        // A once-only marker holds no contribution to compare; the aggregates above are checked.
        if (item.once === true) continue;
        const want = expectedMarkers.get(sourceKey);
        const marker: AppliedMarker = { sequence: item.sequence as string, contribution: JSON.parse(item.contribution as string) as Contribution };
        if (want !== undefined && want !== hashOf(marker.contribution)) {
          stale.push({ ...source, marker });
        }
      }
    }, { segments, concurrency });
    for (const sourceKey of expectedMarkers.keys()) {
      if (seen.has(sourceKey)) continue;
      const [pk, sk] = sourceKey.split('\n') as [string, string];
      stale.push({ pk, sk });
    }
    markersRepaired = await repairMarkers(stale, trainings, concurrency);
    progress('markers', markersRepaired);
  }

  return {
    sourceItems: sources,
    aggregateItems: aggregates,
    largestAggregate,
    drift,
    driftItems: driftIds.size,
    markersRepaired,
    repaired: options.repair,
  };
}

function keyString(item: Item): string {
  return `${item.pk as string}\n${item.sk as string}`;
}

/** Markers are few to repair in practice; each source item is read again for its contribution. */
async function repairMarkers(
  stale: readonly { pk: string; sk: string; marker?: AppliedMarker }[],
  trainings: Map<string, TrainingFacts>,
  concurrency: number,
): Promise<number> {
  let repaired = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < stale.length) {
        const entry = stale[next++]!;
        const item = await readSourceItem({ pk: entry.pk, sk: entry.sk });
        const contribution = item ? contributionOf(item, (id) => trainings.get(id)) : undefined;
        if (!contribution) continue;
        if (releasedOnceTypes.has(item?.type)) {
          if (await repairOnceMarker({ pk: entry.pk, sk: entry.sk })) repaired++;
          continue;
        }
        if (await repairMarker({ pk: entry.pk, sk: entry.sk }, entry.marker, contribution)) repaired++;
      }
    }),
  );
  return repaired;
}
