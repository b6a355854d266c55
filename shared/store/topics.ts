/**
 * The stored part of the topic vocabulary: topics admins added, and renames of seeded ones.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Topic } from '../config/topics';
import { ConflictError } from '../errors';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { topicKeys } from './keys';
import { queryAll } from './paging';
import { TransactionConditionFailed, transactWrite } from './transactions';

export interface StoredTopic extends Topic {
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version: a rename names the version it read. */
  version: number;
}

function topicOf(item: Record<string, unknown>): StoredTopic {
  return {
    id: item.id as string,
    name: item.name as Topic['name'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: Number(item.version),
  };
}

function itemOf(topic: StoredTopic): Record<string, unknown> {
  return { ...topicKeys.item(topic.id), type: entityTypes.topic, ...topic };
}

export async function listStoredTopics(): Promise<StoredTopic[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': topicKeys.partition, ':prefix': topicKeys.itemPrefix },
    ConsistentRead: true,
  });
  return items.map(topicOf);
}

export async function findStoredTopic(id: string): Promise<StoredTopic | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: topicKeys.item(id), ConsistentRead: true }));
  return Item ? topicOf(Item) : undefined;
}

/**
 * Adds a topic and counts it against the cap in one transaction, so concurrent additions can
 * never pass `maxAdded` together.
 */
export async function insertTopic(topic: StoredTopic, maxAdded: number): Promise<void> {
  try {
    await transactWrite({
      TransactItems: [
        { Put: { TableName: tableName, Item: itemOf(topic), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName: tableName,
            Key: topicKeys.count,
            UpdateExpression: 'SET #type = :type ADD added :one',
            ConditionExpression: 'attribute_not_exists(added) OR added < :max',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':type': entityTypes.topicCount, ':one': 1, ':max': maxAdded },
          },
        },
      ],
    });
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.failedItems.includes(1)) {
      throw new ConflictError(
        'The topic list is full. Rename a topic that is no longer used instead of adding one.',
        'topic_limit_reached',
      );
    }
    throw new ConflictError('A topic with this id exists already. Send the request again to add it under a new id.', 'concurrent_update');
  }
}

/** Saves a topic whole if nobody saved it since `expectedVersion` (0: never stored) was read. */
export async function saveTopic(topic: StoredTopic, expectedVersion: number): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: itemOf(topic),
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new ConflictError('Someone else renamed this topic at the same time. Reload the topics and rename it again.', 'concurrent_update');
  }
}
