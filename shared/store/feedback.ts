/**
 * Anonymous feedback responses.
 *
 * A submission is one transaction of two writes: the response, under a random key and holding only
 * the training id, ratings and answers; and the `feedbackSubmittedAt` flag on the participant's
 * registration, guarded so it is set once and only for a confirmed participant. The two exist
 * together or not at all, and nothing in the response — key, attribute or timestamp — leads back
 * to the registration.
 */
import { newId } from '../ids';
import type { FeedbackResponse } from '../schemas/feedback';
import { tableName } from './client';
import { queryAll } from './paging';
import { entityTypes, feedbackKeys, registrationKeys } from './keys';
import { TransactionConditionFailed, transactWrite } from './transactions';

export type SubmitOutcome = 'submitted' | 'rejected';

/** The registration the flag goes on, as it was read: the write is guarded by its identity. */
export interface FlagTarget {
  trainingId: string;
  email: string;
  registrationId: string;
}

export async function submitFeedbackResponse(
  target: FlagTarget,
  response: FeedbackResponse,
  submittedAt: string,
): Promise<SubmitOutcome> {
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...feedbackKeys.response(target.trainingId, newId()),
              type: entityTypes.feedbackResponse,
              trainingId: response.trainingId,
              ratings: response.ratings,
              answers: response.answers,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.item(target.trainingId, target.email),
            UpdateExpression: 'SET feedbackSubmittedAt = :at',
            ConditionExpression:
              '#status = :confirmed AND registrationId = :registrationId AND attribute_not_exists(feedbackSubmittedAt)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':at': submittedAt,
              ':confirmed': 'confirmed',
              ':registrationId': target.registrationId,
            },
          },
        },
      ],
    });
    return 'submitted';
  } catch (error) {
    // The registration changed since it was read: sent a moment ago, or withdrawn.
    if (error instanceof TransactionConditionFailed) return 'rejected';
    throw error;
  }
}

/** Every response of a training (a Query on its partition, page by page). */
export async function listFeedbackResponses(trainingId: string): Promise<FeedbackResponse[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':partition': feedbackKeys.trainingPartition(trainingId),
      ':prefix': feedbackKeys.responsePrefix,
    },
    ProjectionExpression: 'trainingId, ratings, answers',
    ConsistentRead: true,
  });
  return items.map((item) => ({
    trainingId: item.trainingId as string,
    ratings: item.ratings as FeedbackResponse['ratings'],
    answers: item.answers ?? {},
  }));
}
