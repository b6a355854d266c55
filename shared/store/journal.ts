/**
 * The journal's items (keys.ts, journalKeys). An entry is one item, its comments live in its
 * partition, so reading an entry with its comments is one Query and deleting it is one partition.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../locale/language';
import type { LocalizedPrompt } from '../schemas/journal';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { aggregateKeys, journalKeys } from './keys';
import { itemDecoder } from './items';
import { queryAll, queryPage, type Page } from './paging';
import { batchWrite } from './reconcile';
import { TransactionConditionFailed, transactWrite } from './transactions';

export interface JournalEntry {
  entryId: string;
  authorSub: string;
  authorEmail: string;
  authorName: string;
  title: string;
  text: string;
  language: Language;
  trainingId?: string;
  sessionId?: string;
  prompt?: string;
  createdAt: string;
  updatedAt: string;
  /** Set while this one entry is shared with its training's trainer. */
  sharedAt?: string;
  version: number;
}

export interface JournalComment {
  commentId: string;
  entryId: string;
  trainingId: string;
  authorSub: string;
  authorName: string;
  text: string;
  createdAt: string;
}

const entryFromItem = itemDecoder<JournalEntry>();
const commentFromItem = itemDecoder<JournalComment>();

function entryItem(entry: JournalEntry): Record<string, unknown> {
  return {
    ...journalKeys.entry(entry.entryId),
    ...journalKeys.byAuthor(entry.authorSub, entry.createdAt, entry.entryId),
    // The sparse index a trainer reads: present only while this entry is shared.
    ...(entry.sharedAt && entry.trainingId ? journalKeys.sharedEntry(entry.trainingId, entry.entryId) : {}),
    type: entityTypes.journalEntry,
    ...entry,
  };
}

/**
 * Puts a new entry. An entry about a training is counted for the training's region in the same
 * transaction (its month's entries; the author, once, among the region's keepers), so the counts
 * coordinators see never drift from the entries written. The counts hold no text and no title.
 */
export async function putNewEntry(entry: JournalEntry, counted?: { region: string; month: string }): Promise<void> {
  const put = { TableName: tableName, Item: entryItem(entry), ConditionExpression: 'attribute_not_exists(pk)' };
  if (!counted) {
    await documentClient.send(new PutCommand(put));
    return;
  }
  const keeperKey = journalKeys.keeper(counted.region, entry.authorSub);
  const monthCount = {
    Update: {
      TableName: tableName,
      Key: journalKeys.statMonth(counted.region, counted.month),
      UpdateExpression: 'ADD entries :one SET #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':type': entityTypes.journalStat },
    },
  };
  const newKeeper = [
    { Put: { TableName: tableName, Item: { ...keeperKey, type: entityTypes.journalKeeper }, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Update: {
        TableName: tableName,
        Key: journalKeys.statTotal(counted.region),
        UpdateExpression: 'ADD keepers :one SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': entityTypes.journalStat },
      },
    },
  ];
  // One transaction, entry and counts together: all or nothing. Whether the author is new to the
  // region is read first; a concurrent first entry makes the keeper Put fail, and the retry
  // (knowing now that the author is counted) leaves the keepers alone.
  for (let attempt = 0; attempt < 2; attempt++) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: keeperKey, ConsistentRead: true }));
    try {
      await transactWrite({ TransactItems: [{ Put: put }, monthCount, ...(Item ? [] : newKeeper)] });
      return;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed) || !error.failedItems.includes(2) || attempt > 0) throw error;
    }
  }
}

/** A region's journal counts: entries per month in [from, to] and its keepers. */
export async function journalCounts(region: string, from: string, to: string): Promise<{ byMonth: Map<string, number>; keepers: number }> {
  const [months, total] = await Promise.all([
    queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': journalKeys.statPartition(region), ':from': aggregateKeys.monthSortKey(from), ':to': aggregateKeys.monthSortKey(to) },
    }),
    documentClient.send(new GetCommand({ TableName: tableName, Key: journalKeys.statTotal(region) })),
  ]);
  return {
    byMonth: new Map(months.map((item) => [aggregateKeys.monthOfSortKey(String(item.sk)), Number(item.entries ?? 0)])),
    keepers: Number(total.Item?.keepers ?? 0),
  };
}

/** Replaces the entry if nobody changed it since `expectedVersion` was read; false otherwise. */
export async function saveEntry(entry: JournalEntry, expectedVersion: number): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: entryItem(entry),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function findEntry(entryId: string): Promise<JournalEntry | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: journalKeys.entry(entryId), ConsistentRead: true }));
  return Item ? entryFromItem(Item) : undefined;
}

export async function commentsOf(entryId: string): Promise<JournalComment[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': journalKeys.entryPartition(entryId), ':prefix': journalKeys.commentPrefix },
    ConsistentRead: true,
  });
  return items.map(commentFromItem);
}

/** The entry and every comment on it. */
export async function deleteEntryAndComments(entryId: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName, Key: journalKeys.entry(entryId) }));
  const comments = await queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': journalKeys.entryPartition(entryId) },
    ProjectionExpression: 'pk, sk',
  });
  await batchWrite(comments.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })));
}

export async function listEntriesOfAuthor(authorSub: string, page: { limit: number; cursor?: string }): Promise<Page<JournalEntry>> {
  return queryPage(
    {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':partition': journalKeys.authorPartition(authorSub), ':prefix': journalKeys.authorPrefix },
      ScanIndexForward: false,
    },
    page,
    entryFromItem,
  );
}

/** Every entry of an author, newest first (the export; a journal is a person's own writing). */
export async function allEntriesOfAuthor(authorSub: string, trainingId?: string): Promise<JournalEntry[]> {
  const items = await queryAll({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
    ExpressionAttributeValues: {
      ':partition': journalKeys.authorPartition(authorSub),
      ':prefix': journalKeys.authorPrefix,
      ...(trainingId ? { ':training': trainingId } : {}),
    },
    ...(trainingId ? { FilterExpression: 'trainingId = :training' } : {}),
    ScanIndexForward: false,
  });
  return items.map(entryFromItem);
}

export async function isTrainingShared(authorSub: string, trainingId: string): Promise<boolean> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: journalKeys.share(authorSub, trainingId), ConsistentRead: true }),
  );
  return Item !== undefined;
}

export async function shareTraining(authorSub: string, trainingId: string, at: string): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...journalKeys.share(authorSub, trainingId),
        ...journalKeys.sharedAll(trainingId, authorSub),
        type: entityTypes.journalShare,
        authorSub,
        trainingId,
        sharedAt: at,
      },
    }),
  );
}

export async function unshareTraining(authorSub: string, trainingId: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName, Key: journalKeys.share(authorSub, trainingId) }));
}

/** What a training's trainer may read: entries shared one by one, and authors sharing them all. */
export async function sharedWithTraining(trainingId: string): Promise<{ entryIds: string[]; authorSubs: string[] }> {
  const items = await queryAll({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :partition',
    ExpressionAttributeValues: { ':partition': journalKeys.sharedPartition(trainingId) },
    ProjectionExpression: '#type, entryId, authorSub',
    ExpressionAttributeNames: { '#type': 'type' },
  });
  return {
    entryIds: items.filter((item) => item.type === entityTypes.journalEntry).map((item) => String(item.entryId)),
    authorSubs: items.filter((item) => item.type === entityTypes.journalShare).map((item) => String(item.authorSub)),
  };
}

/** Puts the comment only if the entry still exists; false when it is gone. */
export async function putComment(comment: JournalComment): Promise<boolean> {
  try {
    await transactWrite({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: tableName,
            Key: journalKeys.entry(comment.entryId),
            ConditionExpression: 'attribute_exists(pk) AND trainingId = :training',
            ExpressionAttributeValues: { ':training': comment.trainingId },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...journalKeys.comment(comment.entryId, comment.createdAt, comment.commentId), type: entityTypes.journalComment, ...comment },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
    return true;
  } catch (error) {
    if (error instanceof TransactionConditionFailed) return false;
    throw error;
  }
}

export async function trainerPrompts(trainingId: string): Promise<LocalizedPrompt[]> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: journalKeys.prompts(trainingId) }));
  return (Item?.prompts as LocalizedPrompt[] | undefined) ?? [];
}

export async function saveTrainerPrompts(trainingId: string, prompts: LocalizedPrompt[], at: string): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...journalKeys.prompts(trainingId), type: entityTypes.journalPrompts, trainingId, prompts, updatedAt: at },
    }),
  );
}
