/**
 * Aggregate items and the per-source applied markers (see domain/aggregates for why).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { targetId, trainingsHeldChanges, type AggregateTarget, type AppliedMarker, type Contribution, type ContributionPart, type MultiplierTarget } from '../domain/aggregates';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { aggregateKeys } from './keys';
import { queryAll, queryPage, type Page } from './paging';
import { TransactionConditionFailed, transactWrite } from './transactions';

export interface SourceKey {
  pk: string;
  sk: string;
}

export function keyOfTarget(target: AggregateTarget): { pk: string; sk: string } {
  switch (target.kind) {
    case 'regionMonth':
      return aggregateKeys.regionMonth(target.region, target.month);
    case 'regionTotal':
      return aggregateKeys.regionTotal(target.region);
    case 'cascadeNode':
      return aggregateKeys.cascadeNode(target.rootId, target.level, target.trainingId);
    case 'multiplier':
      return aggregateKeys.multiplier(target.region, target.trainerSub);
    case 'surveyMonth':
      return aggregateKeys.surveyMonth(target.region, target.month);
  }
}

export async function readMarker(source: SourceKey): Promise<AppliedMarker | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: aggregateKeys.source(source.pk, source.sk), ConsistentRead: true }),
  );
  return Item ? markerFromItem(Item) : undefined;
}

/** A once-only marker holds no order or contribution: for ordering it is as if there were none. */
function markerFromItem(item: Record<string, unknown>): AppliedMarker | undefined {
  if (item.once === true) return undefined;
  return { sequence: item.sequence as string, contribution: JSON.parse(item.contribution as string) as Contribution };
}

/** The `trainingsHeld` of multiplier items as stored now (missing counts as 0), keyed by target id. */
export async function readTrainingsHeld(targets: readonly MultiplierTarget[]): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  await Promise.all(
    targets.map(async (target) => {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keyOfTarget(target), ConsistentRead: true, ProjectionExpression: 'trainingsHeld' }),
      );
      held.set(targetId(target), typeof Item?.trainingsHeld === 'number' ? Item.trainingsHeld : 0);
    }),
  );
  return held;
}

/**
 * One Update per target: ADD the amounts, SET the descriptions. With `heldBefore`, only if the
 * item's `trainingsHeld` is still that (the active-multiplier step was computed from it).
 */
export function aggregateUpdate(part: ContributionPart, heldBefore?: number) {
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = { ':type': entityTypes.aggregate };
  const adds: string[] = [];
  const sets: string[] = ['#type = :type'];
  Object.entries(part.add).forEach(([name, amount], index) => {
    names[`#a${index}`] = name;
    values[`:a${index}`] = amount;
    adds.push(`#a${index} :a${index}`);
  });
  Object.entries(part.set ?? {}).forEach(([name, value], index) => {
    names[`#s${index}`] = name;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  let condition: string | undefined;
  if (heldBefore !== undefined) {
    names['#held'] = 'trainingsHeld';
    values[':heldBefore'] = heldBefore;
    condition = heldBefore === 0 ? '(attribute_not_exists(#held) OR #held = :heldBefore)' : '#held = :heldBefore';
  }
  return {
    TableName: tableName,
    Key: keyOfTarget(part.target),
    UpdateExpression: `SET ${sets.join(', ')}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
    ...(condition ? { ConditionExpression: condition } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export type ApplyOutcome = 'applied' | 'moved';

/** One source's marker as it was read and the marker it moves to. */
export interface MarkerMove {
  source: SourceKey;
  previous: AppliedMarker | undefined;
  marker: AppliedMarker;
}

/** TransactWriteItems takes at most 100 items, each item at most once. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * The delta and the new marker in one transaction, guarded by the marker as it was read and by
 * the multipliers' `trainingsHeld` the delta was planned on (`heldBefore`, by target id): if
 * another worker moved either in between, nothing is written and the caller plans again.
 */
export function applyDelta(
  source: SourceKey,
  previous: AppliedMarker | undefined,
  delta: Contribution,
  marker: AppliedMarker,
  heldBefore: ReadonlyMap<string, number> = new Map(),
): Promise<ApplyOutcome> {
  return applyDeltas([{ source, previous, marker }], delta, heldBefore);
}

/**
 * Several sources at once: every marker move and their summed delta (one part per aggregate item)
 * in one transaction, each marker guarded as in applyDelta. One moved marker or multiplier count
 * fails the whole transaction, so either every source of it is applied or none is.
 */
export async function applyDeltas(moves: readonly MarkerMove[], delta: Contribution, heldBefore: ReadonlyMap<string, number> = new Map()): Promise<ApplyOutcome> {
  if (moves.length + delta.length > MAX_TRANSACTION_ITEMS) {
    throw new RangeError(`A transaction holds at most ${MAX_TRANSACTION_ITEMS} items, not ${moves.length + delta.length}.`);
  }
  const guarded = new Set(trainingsHeldChanges(delta).map(({ target }) => targetId(target)));
  try {
    await transactWrite({
      TransactItems: [
        ...moves.map(({ source, previous, marker }) => ({
          Put: {
            TableName: tableName,
            Item: {
              ...aggregateKeys.source(source.pk, source.sk),
              type: entityTypes.aggregateSource,
              sequence: marker.sequence,
              contribution: JSON.stringify(marker.contribution),
            },
            ConditionExpression: previous ? '#sequence = :previous' : 'attribute_not_exists(pk)',
            ExpressionAttributeNames: previous ? { '#sequence': 'sequence' } : undefined,
            ExpressionAttributeValues: previous ? { ':previous': previous.sequence } : undefined,
          },
        })),
        ...delta.map((part) => {
          const id = targetId(part.target);
          return { Update: aggregateUpdate(part, guarded.has(id) ? (heldBefore.get(id) ?? 0) : undefined) };
        }),
      ],
    });
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionConditionFailed) return 'moved';
    throw error;
  }
}

/**
 * The applied markers of many sources, strongly consistent, keyed by `pk\0sk` of the source; a
 * source without one (or with a once-only marker, which holds no order) is absent.
 */
export async function readMarkers(sources: readonly SourceKey[]): Promise<Map<string, AppliedMarker>> {
  const items = await batchGetAll(
    sources.map((source) => aggregateKeys.source(source.pk, source.sk)),
    { consistentRead: true },
  );
  const markers = new Map<string, AppliedMarker>();
  for (const item of items) {
    const marker = markerFromItem(item);
    const source = { pk: (item.pk as string).slice(aggregateKeys.source('', '').pk.length), sk: item.sk as string };
    if (marker) markers.set(sourceId(source), marker);
  }
  return markers;
}

export function sourceId(source: SourceKey): string {
  return `${source.pk}\u0000${source.sk}`;
}

/**
 * A source that contributes once and never changes after (a training's released feedback): its
 * marker says only "applied" — no sequence number, no contribution — so the table keeps nothing
 * that orders releases or restates their figures. 'applied' when this call applied it.
 */
export async function applyOnce(source: SourceKey, delta: Contribution): Promise<'applied' | 'already'> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { ...aggregateKeys.source(source.pk, source.sk), type: entityTypes.aggregateSource, once: true },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...delta.map((part) => ({ Update: aggregateUpdate(part) })),
      ],
    });
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionConditionFailed) return 'already';
    throw error;
  }
}

type Item = Record<string, unknown>;

/** A region's month items from..to (`YYYY-MM`): one Query of at most 25 items, never a Scan. */
export const REGION_REPORT_MAX_ITEMS = 25;

export function regionMonths(region: string, from: string, to: string): Promise<Item[]> {
  return monthItems(aggregateKeys.regionPartition(region), from, to);
}

/** A region's follow-up survey month items from..to, read the same way. */
export function surveyMonths(region: string, from: string, to: string): Promise<Item[]> {
  return monthItems(aggregateKeys.surveyPartition(region), from, to);
}

async function monthItems(partition: string, from: string, to: string): Promise<Item[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': partition,
        ':from': aggregateKeys.monthSortKey(from),
        ':to': aggregateKeys.monthSortKey(to),
      },
      Limit: REGION_REPORT_MAX_ITEMS,
    }),
  );
  return Items;
}

/** The all-time items of the given regions (at most 100 keys per BatchGet; there are 20 regions). */
export async function regionTotals(regions: readonly string[]): Promise<Map<string, Item>> {
  const items = await batchGetAll(regions.map((region) => aggregateKeys.regionTotal(region)));
  return new Map(items.map((item) => [aggregateKeys.regionOfPartition(item.pk as string), item]));
}

/** A page of a cascade's nodes from level 0 to `maxLevel`, level by level. */
export async function cascadeNodes(
  rootId: string,
  maxLevel: number,
  page: { limit: number; cursor?: string; region?: string },
): Promise<Page<Item>> {
  return queryPage(
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': aggregateKeys.cascadePartition(rootId),
        ':from': aggregateKeys.cascadeNodePrefix,
        ':to': `${aggregateKeys.cascadeLevelPrefix(maxLevel)}~`,
        ...(page.region ? { ':region': page.region } : {}),
      },
      ...(page.region ? { FilterExpression: '#region = :region', ExpressionAttributeNames: { '#region': 'region' } } : {}),
    },
    page,
  );
}

/** Every node of a cascade (for its summary): a few hundred small items for 10,000 people. */
export function allCascadeNodes(rootId: string): Promise<Item[]> {
  return queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': aggregateKeys.cascadePartition(rootId), ':prefix': aggregateKeys.cascadeNodePrefix },
  });
}

export async function multipliersOfRegion(region: string, page: { limit: number; cursor?: string }): Promise<Page<Item>> {
  return queryPage({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': aggregateKeys.multiplierPartition(region) } }, page);
}

/** A source item as stored now (reconcile re-reads the few whose marker needs repair). */
export async function readSourceItem(source: SourceKey): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: { pk: source.pk, sk: source.sk }, ConsistentRead: true }));
  return Item;
}
