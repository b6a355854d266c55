import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/http/route';
import { entityTypes } from '../../shared/store/keys';
import type { JournalComment } from '../../shared/store/journal';
import { onJournalCommentAdded } from '../../shared/usecases/journal';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** One comment, one email: sendEmailOnce's claim makes a redelivered record send nothing. */
async function handleRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!image || record.eventName !== 'INSERT') return;
  const item = unmarshall(image);
  if (item.type !== entityTypes.journalComment) return;
  await onJournalCommentAdded(item as unknown as JournalComment);
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, handleRecord, processor, { context });
};
