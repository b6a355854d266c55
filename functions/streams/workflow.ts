import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { errorName, logger } from '../../shared/observability/logger';
import { batchReads, onFeedbackStateChanged, onRegistrationChanged, onTrainingChanged, type RegistrationReads } from '../../shared/usecases/workflow';
import { feedbackStateFromItem } from '../../shared/store/feedback';
import { ClosedTrainingCache, processCertificateResend, processIssuanceTask } from '../../shared/usecases/issuance';
import { certificateResendFromItem } from '../../shared/store/certificates';
import { issuanceTaskFromItem } from '../../shared/store/issuance';
import { processReissueTask } from '../../shared/usecases/reissue';
import { reissueTaskFromItem } from '../../shared/store/certificate-lifecycle';
import { registrationFromItem } from '../../shared/store/registrations';
import { entityTypes } from '../../shared/store/entity-types';
import type { JournalComment } from '../../shared/store/journal';
import { onJournalCommentAdded } from '../../shared/usecases/journal';
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
async function handleRecord(record: DynamoDBRecord, closedTrainings: ClosedTrainingCache, reads: RegistrationReads): Promise<void> {
  const newImage = imageOf(record.dynamodb?.NewImage);
  const oldImage = imageOf(record.dynamodb?.OldImage);
  if (newImage?.type === entityTypes.training) {
    await onTrainingChanged(trainingFromItem(newImage), oldImage ? trainingFromItem(oldImage) : undefined);
  } else if (newImage?.type === entityTypes.registration) {
    await onRegistrationChanged(registrationFromItem(newImage), oldImage ? registrationFromItem(oldImage) : undefined, reads);
  } else if (newImage?.type === entityTypes.feedbackState) {
    const trainingId = newImage.trainingId as string;
    await onFeedbackStateChanged(feedbackStateFromItem(newImage, trainingId), oldImage ? feedbackStateFromItem(oldImage, trainingId) : undefined);
  } else if (newImage?.type === entityTypes.journalComment && record.eventName === 'INSERT') {
    // One comment, one email: sendEmailOnce's claim makes a redelivered record send nothing.
    await onJournalCommentAdded(newImage as unknown as JournalComment);
  } else if (newImage?.type === entityTypes.issuanceTask && record.eventName === 'INSERT') {
    await processIssuanceTask(issuanceTaskFromItem(newImage), closedTrainings);
  } else if (newImage?.type === entityTypes.certificateResend && record.eventName === 'INSERT') {
    await processCertificateResend(certificateResendFromItem(newImage));
  } else if (newImage?.type === entityTypes.certificateReissue && record.eventName === 'INSERT') {
    await processReissueTask(reissueTaskFromItem(newImage));
  } else if (newImage?.type === entityTypes.certificatesZip && newImage.status === 'building' && newImage.attempts === 0) {
    // A ZIP asked for (or asked for again after it failed); its CSV manifest loads only here.
    const { buildCertificatesZip } = await import('../../shared/usecases/certificates-zip-build');
    await buildCertificatesZip(String(newImage.trainingId), String(newImage.digest));
  }
}

/**
 * The batch processor reports a failed record to the stream without saying why; this says it, by
 * error name and record only.
 */
function logFailure(record: DynamoDBRecord, error: unknown): never {
  logger.warn('Workflow record failed; the stream delivers it again', {
    errorName: errorName(error),
    entityType: record.dynamodb?.NewImage?.type?.S ?? 'unknown',
    eventName: record.eventName,
    sequenceNumber: record.dynamodb?.SequenceNumber,
  });
  throw error;
}

function itemKeyOf(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys;
  return `${keys?.pk?.S ?? ''}\u0000${keys?.sk?.S ?? ''}`;
}

/**
 * Records of different items run concurrently (a closed cohort's work items are independent, and
 * each spends most of its time waiting on DynamoDB, S3 and SES); records of one item run in stream
 * order, each after the previous one, and fail if it failed, so a retry replays them in order.
 */
function inOrderPerItem(): (record: DynamoDBRecord) => Promise<void> {
  const chains = new Map<string, Promise<void>>();
  const closedTrainings = new ClosedTrainingCache();
  const reads = batchReads();
  return (record) => {
    const key = itemKeyOf(record);
    const current = (chains.get(key) ?? Promise.resolve()).then(() => handleRecord(record, closedTrainings, reads).catch((error: unknown) => logFailure(record, error)));
    chains.set(key, current);
    return current;
  };
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  logger.addContext(context);
  return processPartialResponse(event, inOrderPerItem(), processor, {
    context,
    processInParallel: true,
    // Every record failing (say, each one's email in flight at another worker) is reported item by
    // item like any partial failure, rather than thrown as an error of the whole invocation.
    throwOnFullBatchFailure: false,
  });
};
