import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { paddedSequence } from '../../shared/domain/aggregates';
import { logger } from '../../shared/observability/logger';
import { applySourceImage } from '../../shared/usecases/analytics';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Each record brings its source item's aggregates in line with its NewImage, guarded by the item's
 * applied marker and the record's sequence number: duplicates, replays and concurrent workers
 * change nothing twice.
 */
async function handleRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  if (!image || !sequenceNumber) return;
  await applySourceImage(unmarshall(image as Record<string, AttributeValue>), paddedSequence(sequenceNumber));
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, handleRecord, processor, { context, processInParallel: false });
};
