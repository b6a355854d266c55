import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../errors';
import { firstSessionStart } from '../domain/training';
import type { ListTrainingsQuery, Training } from '../schemas/training';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { trainingKeys } from './keys';
import { itemDecoder } from './items';
import { queryAll, queryPage, type Page } from './paging';

export interface StoredTraining {
  training: Training;
  /** Optimistic-concurrency version: every save must name the version it read. */
  version: number;
}


function toItem(training: Training, version: number): Record<string, unknown> {
  const firstStart = firstSessionStart(training);
  const listed = training.status === 'published';
  return {
    ...trainingKeys.item(training.id),
    ...trainingKeys.byTrainer(training.trainer.sub, firstStart, training.id),
    ...(listed ? trainingKeys.publishedInRegion(training.region, firstStart, training.id) : {}),
    ...(listed ? trainingKeys.publishedEverywhere(firstStart, training.id) : {}),
    ...(training.status === 'closed' ? trainingKeys.closedEverywhere(firstStart, training.id) : {}),
    type: entityTypes.training,
    version,
    ...training,
  };
}

/** The stored item of a training, for bulk writers (the synthetic seed). */
export const trainingItem = toItem;

/** The optimistic version is the store's bookkeeping, not part of the training. */
export const trainingFromItem = itemDecoder<Training>('version');

export async function insertTraining(training: Training): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: toItem(training, 1),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function findTraining(trainingId: string): Promise<StoredTraining | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: trainingKeys.item(trainingId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { training: trainingFromItem(Item), version: Item.version as number };
}

/** Many trainings by id (strongly consistent), keyed by id; missing ids are left out. */
export async function findTrainings(trainingIds: Iterable<string>): Promise<Map<string, Training>> {
  const items = await batchGetAll([...new Set(trainingIds)].map((id) => trainingKeys.item(id)), { consistentRead: true });
  return new Map(items.map((item) => [item.id as string, trainingFromItem(item)]));
}

/** Saves a whole training if nobody saved it since `expectedVersion` was read. */
export async function saveTraining(training: Training, expectedVersion: number): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: toItem(training, expectedVersion + 1),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ConflictError(
        'Someone else changed this training at the same time. Reload it and apply your change again.',
        'concurrent_update',
      );
    }
    throw error;
  }
}

/**
 * Gives a training a vocabulary topic in place of the free text it was stored with, keeping the
 * text as `legacyTopic`. Only if the topic is still `from`: a training edited meanwhile is left
 * for the next run. The version moves, so an editor holding the old one reloads.
 */
export async function replaceTopic(trainingId: string, from: string, to: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: trainingKeys.item(trainingId),
        UpdateExpression: 'SET topic = :to, legacyTopic = :from, version = version + :one',
        ConditionExpression: 'topic = :from',
        ExpressionAttributeValues: { ':from': from, ':to': to, ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Published trainings, by first session start, through gsi2 (one region) or gsi3 (all regions);
 * closed ones through gsi3's CLOSED partition, one region by a filter: a Query, never a Scan.
 * The language, level and (closed) region filters are applied by DynamoDB on the page it reads.
 */
export async function listListedTrainings(
  query: ListTrainingsQuery & { from: string },
): Promise<Page<Training>> {
  const closed = query.status === 'closed';
  const byRegion = query.region !== undefined && !closed;
  const index = byRegion ? 'gsi2' : 'gsi3';
  const partitionKey = byRegion ? 'gsi2pk' : 'gsi3pk';
  const sortKey = byRegion ? 'gsi2sk' : 'gsi3sk';
  const partition = closed
    ? trainingKeys.closedEverywherePartition
    : byRegion
      ? trainingKeys.publishedRegionPartition(query.region!)
      : trainingKeys.publishedEverywherePartition;
  const from = new Date(query.from).toISOString();
  const to = query.to ? new Date(query.to).toISOString() : undefined;
  // A range that ends before it starts (only `to` given, before the default start of today)
  // matches nothing; DynamoDB would refuse the inverted BETWEEN instead of saying so.
  if (to !== undefined && to < from) return { items: [] };

  const filters: { expression: string; name: string; attribute: string; value: string | number }[] = [
    ...(query.language ? [{ expression: '#language = :language', name: '#language', attribute: 'language', value: query.language }] : []),
    ...(query.level !== undefined ? [{ expression: '#level = :level', name: '#level', attribute: 'level', value: query.level }] : []),
    ...(closed && query.region ? [{ expression: '#region = :region', name: '#region', attribute: 'region', value: query.region }] : []),
  ];
  return queryPage(
    {
      IndexName: index,
      KeyConditionExpression: to
        ? `${partitionKey} = :partition AND ${sortKey} BETWEEN :from AND :to`
        : `${partitionKey} = :partition AND ${sortKey} >= :from`,
      ExpressionAttributeValues: {
        ':partition': partition,
        ':from': from,
        ...(to ? { ':to': `${to}~` } : {}),
        ...Object.fromEntries(filters.map((filter) => [filter.name.replace('#', ':'), filter.value])),
      },
      ...(filters.length > 0
        ? {
            FilterExpression: filters.map((filter) => filter.expression).join(' AND '),
            ExpressionAttributeNames: Object.fromEntries(filters.map((filter) => [filter.name, filter.attribute])),
          }
        : {}),
    },
    query,
    trainingFromItem,
  );
}

export async function listTrainingsOfTrainer(
  trainerSub: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Training>> {
  return queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':partition': trainingKeys.trainerPartition(trainerSub), ':prefix': trainingKeys.trainerPrefix },
      ScanIndexForward: false,
    },
    page,
    trainingFromItem,
  );
}

/**
 * Every training in one gsi3 partition (published or closed) whose first session starts in
 * [from, to], all pages: for the scheduled jobs, which look at a bounded range of start times.
 */
async function trainingsStartingBetween(partition: string, from: string, to: string): Promise<Training[]> {
  const items = await queryAll({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :partition AND gsi3sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':partition': partition,
      ':from': new Date(from).toISOString(),
      // Sort keys are `{firstStart}#{id}`: '~' sorts after '#', so a start equal to `to` is in.
      ':to': `${new Date(to).toISOString()}~`,
    },
  });
  return items.map(trainingFromItem);
}

export function publishedTrainingsStartingBetween(from: string, to: string): Promise<Training[]> {
  return trainingsStartingBetween(trainingKeys.publishedEverywherePartition, from, to);
}

export function closedTrainingsStartingBetween(from: string, to: string): Promise<Training[]> {
  return trainingsStartingBetween(trainingKeys.closedEverywherePartition, from, to);
}

/**
 * A transaction item that holds the transaction to a training still being published: nothing
 * joins, or is marked in, a training that was cancelled or closed a moment before.
 */
export function trainingIsPublishedCheck(trainingId: string) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: trainingKeys.item(trainingId),
      ConditionExpression: '#status = :published',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':published': 'published' },
    },
  };
}

/**
 * A transaction item that holds the transaction to a training not closed: a withdrawal is allowed
 * from a published (or cancelled) training, never once attendance is final and certificates are out.
 */
export function trainingNotClosedCheck(trainingId: string) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: trainingKeys.item(trainingId),
      ConditionExpression: 'attribute_exists(pk) AND #status <> :closed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed' },
    },
  };
}
