/**
 * Anonymous feedback responses, the "answered" marks and each training's feedback state.
 *
 * A submission is one transaction: the response, under a random key and holding only the training
 * id, ratings and answers; the person's "answered" marks (by account and by email), which must not
 * exist yet; one more on the state's count, only while the results are not released; the
 * registration's `feedbackSubmittedAt` flag, only for the confirmed registration that was read;
 * and a check that the training still takes feedback. All of it or nothing. Nothing in the
 * response — key, attribute or timestamp — leads back to the person or orders it among the others.
 *
 * The release sets the state once, under a condition that its count is the one the tallies were
 * computed from: a submission racing the release either lands before it (and is counted) or is
 * refused after it, never half-counted.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RatingId } from '../config/feedback-form';
import type { RatingTally, ReleaseReason } from '../domain/feedback';
import { newId } from '../ids';
import type { FeedbackResponse } from '../schemas/feedback';
import { batchGetAll } from './batch-get';
import { documentClient, tableName } from './client';
import { entityTypes } from './entity-types';
import { feedbackKeys, registrationKeys, trainingKeys } from './keys';
import { queryAll } from './paging';
import { TransactionConditionFailed, transactWrite } from './transactions';

/** A training's feedback state as stored (absent until the first answer or the release). */
export interface FeedbackState {
  trainingId: string;
  responses: number;
  releasedAt?: string;
  releaseReason?: ReleaseReason;
  /** Confirmed participants when released: the response rate shown after release never moves. */
  confirmedAtRelease?: number;
  /** Whether the ratings were released as figures (enough responses) or as a count only. */
  ratingsReleased?: boolean;
  /** The released tallies; present only when `ratingsReleased`. */
  ratings?: Record<RatingId, RatingTally>;
}

export function feedbackStateFromItem(item: Record<string, unknown> | undefined, trainingId: string): FeedbackState {
  if (!item) return { trainingId, responses: 0 };
  return {
    trainingId,
    responses: typeof item.responses === 'number' ? item.responses : 0,
    ...(typeof item.releasedAt === 'string' ? { releasedAt: item.releasedAt } : {}),
    ...(typeof item.releaseReason === 'string' ? { releaseReason: item.releaseReason as ReleaseReason } : {}),
    ...(typeof item.confirmedAtRelease === 'number' ? { confirmedAtRelease: item.confirmedAtRelease } : {}),
    ...(typeof item.ratingsReleased === 'boolean' ? { ratingsReleased: item.ratingsReleased } : {}),
    ...(item.ratings && typeof item.ratings === 'object' ? { ratings: item.ratings as Record<RatingId, RatingTally> } : {}),
  };
}

export async function readFeedbackState(trainingId: string): Promise<FeedbackState> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: feedbackKeys.state(trainingId), ConsistentRead: true }),
  );
  return feedbackStateFromItem(Item, trainingId);
}

/** Who gives the answer, as the submission's guards need them. */
export interface Giver {
  trainingId: string;
  /** The account's `sub`: the person, whatever registrations they have had. */
  sub: string;
  email: string;
  /** The registration the flag goes on, as it was read. */
  registrationId: string;
}

/** Why a submission was refused by one of its guards. */
export type SubmitOutcome = 'submitted' | 'already_answered' | 'released' | 'registration_changed' | 'training_changed';

type Key = { pk: string; sk: string };

/**
 * Where one anonymous group keeps its answers: a training's feedback, or a follow-up survey's
 * wave. The same shapes and guards serve both, so the promise is kept in one place.
 */
export interface AnonymousGroup {
  /** The group's state item: the count until the release, then the released figures. */
  state: Key;
  stateType: string;
  /** What the state, the response and the marks say about the group (its training id, …): never about a person. */
  attributes: Record<string, string | number>;
  /** Where a response goes, under a random id. */
  response: (responseId: string) => Key;
  responseType: string;
  markType: string;
}

/**
 * The anonymous core of a submission, for one transaction: the response under a random key with
 * the group's attributes and what was said only; the person's "answered" marks, which must not
 * exist yet and hold no time; and one more on the state's count, only while unreleased. A
 * caller's own guards follow these items (so indices 0, 1…marks, then the state, are fixed).
 */
export function anonymousSubmission(group: AnonymousGroup, content: Record<string, unknown>, marks: readonly Key[]) {
  const attributeNames = Object.fromEntries(Object.keys(group.attributes).map((name, index) => [`#a${index}`, name]));
  const attributeValues = Object.fromEntries(Object.values(group.attributes).map((value, index) => [`:a${index}`, value]));
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...group.response(newId()), type: group.responseType, ...group.attributes, ...content },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...marks.map((key) => ({
      Put: {
        TableName: tableName,
        // The mark says who has answered, never when: it holds no timestamp.
        Item: { ...key, type: group.markType, ...group.attributes },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    {
      Update: {
        TableName: tableName,
        Key: group.state,
        UpdateExpression: `SET #type = :type, ${Object.keys(attributeNames).map((name, index) => `${name} = :a${index}`).join(', ')} ADD responses :one`,
        ConditionExpression: 'attribute_not_exists(releasedAt)',
        ExpressionAttributeNames: { '#type': 'type', ...attributeNames },
        ExpressionAttributeValues: { ':type': group.stateType, ':one': 1, ...attributeValues },
      },
    },
  ];
}

function feedbackGroup(trainingId: string): AnonymousGroup {
  return {
    state: feedbackKeys.state(trainingId),
    stateType: entityTypes.feedbackState,
    attributes: { trainingId },
    response: (responseId) => feedbackKeys.response(trainingId, responseId),
    responseType: entityTypes.feedbackResponse,
    markType: entityTypes.feedbackGiven,
  };
}

export async function submitFeedbackResponse(giver: Giver, response: FeedbackResponse, submittedAt: string): Promise<SubmitOutcome> {
  const { trainingId } = giver;
  try {
    await transactWrite({
      TransactItems: [
        ...anonymousSubmission(feedbackGroup(trainingId), { ratings: response.ratings, answers: response.answers }, [
          feedbackKeys.givenBySub(trainingId, giver.sub),
          feedbackKeys.givenByEmail(trainingId, giver.email),
        ]),
        {
          Update: {
            TableName: tableName,
            Key: registrationKeys.item(trainingId, giver.email),
            UpdateExpression: 'SET feedbackSubmittedAt = :at',
            ConditionExpression:
              '#status = :confirmed AND registrationId = :registrationId AND attribute_not_exists(feedbackSubmittedAt)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': submittedAt, ':confirmed': 'confirmed', ':registrationId': giver.registrationId },
          },
        },
        {
          ConditionCheck: {
            TableName: tableName,
            Key: trainingKeys.item(trainingId),
            // Feedback is taken on a published or closed training; a cancellation in between wins.
            ConditionExpression: '#status IN (:published, :closed)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':published': 'published', ':closed': 'closed' },
          },
        },
      ],
    });
    return 'submitted';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    const failed = new Set(error.failedItems);
    if (failed.has(1) || failed.has(2)) return 'already_answered';
    if (failed.has(3)) return 'released';
    if (failed.has(5)) return 'training_changed';
    return 'registration_changed';
  }
}

export interface Release {
  trainingId: string;
  /** The count the tallies were computed from; the release lands only if it is still the count. */
  responses: number;
  releasedAt: string;
  reason: ReleaseReason;
  confirmed: number;
  /** Present when the ratings are released as figures. */
  ratings?: Record<RatingId, RatingTally>;
}

/**
 * Sets a group's release once, with `fields` (the released figures); 'moved' when an answer
 * arrived (or another release won) since the count was read.
 */
export async function writeOnceRelease(
  group: Pick<AnonymousGroup, 'state' | 'stateType' | 'attributes'>,
  release: { responses: number; releasedAt: string; reason: ReleaseReason },
  fields: Record<string, unknown>,
): Promise<'released' | 'moved'> {
  const set = { ...group.attributes, ...fields, responses: release.responses, releasedAt: release.releasedAt, releaseReason: release.reason };
  const names = Object.keys(set);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: group.state,
        UpdateExpression: `SET #type = :type, ${names.map((_, index) => `#f${index} = :f${index}`).join(', ')}`,
        ConditionExpression:
          'attribute_not_exists(releasedAt) AND (responses = :counted OR (attribute_not_exists(responses) AND :counted = :zero))',
        ExpressionAttributeNames: { '#type': 'type', ...Object.fromEntries(names.map((name, index) => [`#f${index}`, name])) },
        ExpressionAttributeValues: {
          ':type': group.stateType,
          ':counted': release.responses,
          ':zero': 0,
          ...Object.fromEntries(Object.values(set).map((value, index) => [`:f${index}`, value])),
        },
      }),
    );
    return 'released';
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'moved';
    throw error;
  }
}

/** Sets the release once; 'moved' when an answer arrived (or another release won) since the read. */
export function writeRelease(release: Release): Promise<'released' | 'moved'> {
  return writeOnceRelease(feedbackGroup(release.trainingId), release, {
    confirmedAtRelease: release.confirmed,
    ratingsReleased: release.ratings !== undefined,
    ...(release.ratings ? { ratings: release.ratings } : {}),
  });
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

/** The emails of everyone who has answered (one Query of small marks). */
export async function emailsThatAnswered(trainingId: string): Promise<Set<string>> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':partition': feedbackKeys.trainingPartition(trainingId),
      ':prefix': feedbackKeys.givenByEmailPrefix,
    },
    ProjectionExpression: 'sk',
  });
  return new Set(items.map((item) => (item.sk as string).slice(feedbackKeys.givenByEmailPrefix.length)));
}

/**
 * What completion needs to know beyond a registration's own flags: whether this person answered
 * (under an earlier registration, say) and whether the trainer closed the form early.
 */
export async function feedbackFactsFor(trainingId: string, email: string): Promise<{ answered: boolean; closedEarly: boolean }> {
  const keys = [feedbackKeys.givenByEmail(trainingId, email), feedbackKeys.state(trainingId)];
  const items = await batchGetAll(keys, { consistentRead: true });
  return {
    answered: items.some((item) => item.sk === keys[0]!.sk),
    closedEarly: items.some((item) => item.sk === keys[1]!.sk && item.releaseReason === 'closed_early'),
  };
}

/**
 * Lifts the feedback requirement of one confirmed participant who had not answered when the form
 * was closed early; the registration's stream record then re-evaluates their completion.
 */
export async function waiveFeedbackRequirement(trainingId: string, email: string, registrationId: string, at: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: registrationKeys.item(trainingId, email),
        UpdateExpression: 'SET feedbackWaivedAt = :at',
        ConditionExpression:
          '#status = :confirmed AND registrationId = :registrationId AND attribute_not_exists(feedbackSubmittedAt) AND attribute_not_exists(feedbackWaivedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': at, ':confirmed': 'confirmed', ':registrationId': registrationId },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
