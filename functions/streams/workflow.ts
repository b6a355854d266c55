import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../shared/http/route';
import { onRegistrationChanged, onTrainingChanged } from '../../shared/usecases/workflow';
import { processIssuanceTask } from '../../shared/usecases/issuance';
import { issuanceTaskFromItem } from '../../shared/store/issuance';
import { processReissueTask } from '../../shared/usecases/reissue';
import { reissueTaskFromItem } from '../../shared/store/certificate-lifecycle';
import { registrationFromItem } from '../../shared/store/registrations';
import { entityTypes } from '../../shared/store/keys';
import { trainingFromItem } from '../../shared/store/trainings';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

type Image = Record<string, AttributeValue> | undefined;

function imageOf(image: unknown): Record<string, unknown> | undefined {
  return image ? unmarshall(image as Exclude<Image, undefined>) : undefined;
}

/**
 * One record, one effect. Each effect is idempotent (deterministic keys, conditional claims), so a
 * record delivered twice, or retried after a crash, changes nothing the second time.
 */
async function handleRecord(record: DynamoDBRecord): Promise<void> {
  const newImage = imageOf(record.dynamodb?.NewImage);
  const oldImage = imageOf(record.dynamodb?.OldImage);
  if (newImage?.type === entityTypes.training) {
    await onTrainingChanged(trainingFromItem(newImage), oldImage ? trainingFromItem(oldImage) : undefined);
  } else if (newImage?.type === entityTypes.registration) {
    await onRegistrationChanged(registrationFromItem(newImage), oldImage ? registrationFromItem(oldImage) : undefined);
  } else if (newImage?.type === entityTypes.issuanceTask && record.eventName === 'INSERT') {
    await processIssuanceTask(issuanceTaskFromItem(newImage));
  } else if (newImage?.type === entityTypes.certificateReissue && record.eventName === 'INSERT') {
    await processReissueTask(reissueTaskFromItem(newImage));
  }
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, handleRecord, processor, {
    context,
    // One at a time, in stream order: two changes of one item must take effect in the order made.
    processInParallel: false,
  });
};
