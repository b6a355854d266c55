import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { paddedSequence } from '../../shared/domain/aggregates';
import { logger } from '../../shared/observability/logger';
import { applySourceImages, type SourceRecord } from '../../shared/usecases/analytics';

/**
 * Each record brings its source item's aggregates in line with its NewImage, guarded by the item's
 * applied marker and the record's sequence number: duplicates, replays and concurrent workers
 * change nothing twice. The batch is applied as a whole (applySourceImages), so records of one
 * batch that touch the same aggregate items share their transactions; a record that fails is
 * reported by its sequence number, and the stream delivers it (and those after it) again.
 */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  const failures: string[] = [];
  const records: SourceRecord[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (!image || !sequenceNumber) continue;
    try {
      records.push({ id: sequenceNumber, image: unmarshall(image as Record<string, AttributeValue>), sequence: paddedSequence(sequenceNumber) });
    } catch (error) {
      logger.error('Unreadable analytics record', { error });
      failures.push(sequenceNumber);
    }
  }
  failures.push(...(await applySourceImages(records)));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};
