/**
 * The follow-up survey's items: named invitations, anonymous responses with their "answered"
 * marks and each wave's state (through the same building blocks as feedback, store/feedback), and
 * the named candidates for the next level.
 *
 * An answer is one transaction: the response under a random key (the wave and what was said
 * only), the person's marks (by account and by email; no time), one more on the wave's count while
 * unreleased, and a check that the certificate is not revoked. The invitation is not touched: it
 * was written when the email went out and says nothing about whether or when its holder answered.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseReason } from '../domain/feedback';
import type { SurveyResponse, SurveyTallies, WaveState } from '../domain/survey';
import { documentClient, tableName } from './client';
import { anonymousSubmission, writeOnceRelease, type AnonymousGroup } from './feedback';
import { entityTypes } from './entity-types';
import { certificateKeys, surveyKeys } from './keys';
import { queryAll } from './paging';
import { TransactionConditionFailed, transactWrite } from './transactions';

function waveGroup(trainingId: string, months: number): AnonymousGroup {
  return {
    state: surveyKeys.state(trainingId, months),
    stateType: entityTypes.surveyState,
    attributes: { trainingId, months },
    response: (responseId) => surveyKeys.response(trainingId, months, responseId),
    responseType: entityTypes.surveyResponse,
    markType: entityTypes.surveyAnswered,
  };
}

/** A wave's state as stored (absent until the first invitation). */
export interface StoredWaveState extends WaveState {
  trainingId: string;
  months: number;
  releaseReason?: ReleaseReason;
  invitedAtRelease?: number;
  /** Whether the release showed figures (at least the minimum answered) or counts only. */
  figuresReleased?: boolean;
  /** Applied (yes or partly) and colleagues reached: present only when `figuresReleased`. */
  applied?: number;
  colleagues?: number;
  tallies?: SurveyTallies;
}

function waveStateFromItem(item: Record<string, unknown> | undefined, trainingId: string, months: number): StoredWaveState {
  const number = (name: string) => (typeof item?.[name] === 'number' ? (item[name]) : undefined);
  const text = (name: string) => (typeof item?.[name] === 'string' ? (item[name]) : undefined);
  const state: StoredWaveState = { trainingId, months, responses: number('responses') ?? 0, invited: number('invited') ?? 0 };
  const releasedAt = text('releasedAt');
  const lastClosesAt = text('lastClosesAt');
  if (releasedAt) state.releasedAt = releasedAt;
  if (lastClosesAt) state.lastClosesAt = lastClosesAt;
  if (text('releaseReason')) state.releaseReason = text('releaseReason') as ReleaseReason;
  if (number('invitedAtRelease') !== undefined) state.invitedAtRelease = number('invitedAtRelease')!;
  if (typeof item?.figuresReleased === 'boolean') state.figuresReleased = item.figuresReleased;
  if (number('applied') !== undefined) state.applied = number('applied')!;
  if (number('colleagues') !== undefined) state.colleagues = number('colleagues')!;
  if (item?.tallies && typeof item.tallies === 'object') state.tallies = item.tallies as SurveyTallies;
  return state;
}

export async function readWaveState(trainingId: string, months: number): Promise<StoredWaveState> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: surveyKeys.state(trainingId, months), ConsistentRead: true }));
  return waveStateFromItem(Item, trainingId, months);
}

/** One certificate's invitation to one wave: named, written once, when its email is first sent. */
export interface SurveyInvitation {
  certificateId: string;
  months: number;
  trainingId: string;
  holderEmail: string;
  region: string;
  invitedAt: string;
  remindAt: string;
  closesAt: string;
}

export async function findInvitation(certificateId: string, months: number): Promise<SurveyInvitation | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: surveyKeys.invitation(certificateId, months), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    certificateId: String(Item.certificateId),
    months: Number(Item.months),
    trainingId: String(Item.trainingId),
    holderEmail: String(Item.holderEmail),
    region: String(Item.region),
    invitedAt: String(Item.invitedAt),
    remindAt: String(Item.remindAt),
    closesAt: String(Item.closesAt),
  };
}

/**
 * Writes the invitation and counts it on its wave, once: 'invited', 'exists' (an earlier run did;
 * the stored one stands) or 'released' (the wave's results are out; nobody more is asked).
 * The wave's latest close moves first, on its own, so a crash between the two steps can only
 * make the release later, never earlier than an invitation's close.
 */
export async function inviteToSurvey(invitation: SurveyInvitation): Promise<'invited' | 'exists' | 'released'> {
  const state = surveyKeys.state(invitation.trainingId, invitation.months);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: state,
        UpdateExpression: 'SET #type = :type, trainingId = :trainingId, months = :months, lastClosesAt = :closesAt',
        ConditionExpression: 'attribute_not_exists(releasedAt) AND (attribute_not_exists(lastClosesAt) OR lastClosesAt < :closesAt)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': entityTypes.surveyState,
          ':trainingId': invitation.trainingId,
          ':months': invitation.months,
          ':closesAt': invitation.closesAt,
        },
      }),
    );
  } catch (error) {
    // Released, or a later close is there already: the transaction below tells which matters.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  try {
    await transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { ...surveyKeys.invitation(invitation.certificateId, invitation.months), type: entityTypes.surveyInvitation, ...invitation },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: state,
            UpdateExpression: 'SET #type = :type, trainingId = :trainingId, months = :months ADD invited :one',
            ConditionExpression: 'attribute_not_exists(releasedAt)',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':type': entityTypes.surveyState, ':trainingId': invitation.trainingId, ':months': invitation.months, ':one': 1 },
          },
        },
      ],
    });
    return 'invited';
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    return error.failedItems.includes(0) ? 'exists' : 'released';
  }
}

/** Who answers, as the guards need them. */
export interface SurveyGiver {
  trainingId: string;
  months: number;
  sub: string;
  email: string;
  certificateId: string;
}

export type SurveySubmitOutcome = 'submitted' | 'already_answered' | 'released' | 'certificate_revoked';

export async function submitSurveyResponse(giver: SurveyGiver, response: Omit<SurveyResponse, 'trainingId' | 'months'>): Promise<SurveySubmitOutcome> {
  const { trainingId, months } = giver;
  try {
    await transactWrite({
      TransactItems: [
        ...anonymousSubmission(
          waveGroup(trainingId, months),
          { applied: response.applied, ratings: response.ratings, colleagues: response.colleagues, forms: response.forms, answers: response.answers },
          [surveyKeys.answeredBySub(trainingId, months, giver.sub), surveyKeys.answeredByEmail(trainingId, months, giver.email)],
        ),
        {
          ConditionCheck: {
            TableName: tableName,
            Key: certificateKeys.item(giver.certificateId),
            // A revocation racing the answer wins: a revoked certificate's holder is not surveyed.
            ConditionExpression: '#status <> :revoked',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revoked': 'revoked' },
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
    return 'certificate_revoked';
  }
}

export async function hasAnsweredWave(trainingId: string, months: number, sub: string): Promise<boolean> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: surveyKeys.answeredBySub(trainingId, months, sub), ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return Item !== undefined;
}

/** The emails of everyone who has answered a wave (one Query of small marks), for the reminder. */
export async function emailsThatAnsweredWave(trainingId: string, months: number): Promise<Set<string>> {
  const prefix = surveyKeys.answeredByEmail(trainingId, months, '').sk;
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': surveyKeys.wavePartition(trainingId, months), ':prefix': prefix },
    ProjectionExpression: 'sk',
    ConsistentRead: true,
  });
  return new Set(items.map((item) => (item.sk as string).slice(prefix.length)));
}

export async function listSurveyResponses(trainingId: string, months: number): Promise<SurveyResponse[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':partition': surveyKeys.wavePartition(trainingId, months), ':prefix': surveyKeys.responsePrefix },
    ProjectionExpression: 'applied, ratings, colleagues, forms, answers',
    ConsistentRead: true,
  });
  return items.map((item) => ({
    trainingId,
    months,
    applied: item.applied as SurveyResponse['applied'],
    ratings: item.ratings as SurveyResponse['ratings'],
    colleagues: Number(item.colleagues ?? 0),
    forms: (item.forms ?? []) as SurveyResponse['forms'],
    answers: (item.answers ?? {}),
  }));
}

export interface WaveRelease {
  trainingId: string;
  months: number;
  responses: number;
  releasedAt: string;
  reason: ReleaseReason;
  invited: number;
  /** Present when the figures are released (at least the minimum answered). */
  tallies?: SurveyTallies & { appliedCount: number };
}

export function writeWaveRelease(release: WaveRelease): Promise<'released' | 'moved'> {
  const { tallies } = release;
  return writeOnceRelease(waveGroup(release.trainingId, release.months), release, {
    invitedAtRelease: release.invited,
    figuresReleased: tallies !== undefined,
    ...(tallies
      ? {
          applied: tallies.appliedCount,
          colleagues: tallies.colleagues,
          tallies: { applied: tallies.applied, colleagues: tallies.colleagues, forms: tallies.forms, ratings: tallies.ratings },
        }
      : {}),
  });
}

/** A named candidate for the next level: the survey's one exception to anonymity, opted into. */
export interface SurveyCandidate {
  region: string;
  email: string;
  trainingId: string;
  fullName: string;
  certificateId: string;
  certificateNumber: string;
  level: number;
  nextLevel: number;
  topic: string;
  trainingTitle: { kk?: string; ru?: string; en?: string };
  months: number;
  updatedAt: string;
  withdrawn: boolean;
}

export async function saveCandidate(candidate: SurveyCandidate): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...surveyKeys.candidate(candidate.region, candidate.email, candidate.trainingId), type: entityTypes.surveyCandidate, ...candidate },
    }),
  );
}

export async function findCandidate(region: string, email: string, trainingId: string): Promise<SurveyCandidate | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName, Key: surveyKeys.candidate(region, email, trainingId), ConsistentRead: true }),
  );
  return Item ? candidateFromItem(Item) : undefined;
}

function candidateFromItem(item: Record<string, unknown>): SurveyCandidate {
  return {
    region: String(item.region),
    email: String(item.email),
    trainingId: String(item.trainingId),
    fullName: String(item.fullName),
    certificateId: String(item.certificateId),
    certificateNumber: String(item.certificateNumber),
    level: Number(item.level),
    nextLevel: Number(item.nextLevel),
    topic: String(item.topic),
    trainingTitle: (item.trainingTitle ?? {}),
    months: Number(item.months),
    updatedAt: String(item.updatedAt),
    withdrawn: item.withdrawn === true,
  };
}

/** A region's candidates (one Query of its partition), opted out ones included: callers decide. */
export async function candidatesOfRegion(region: string): Promise<SurveyCandidate[]> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :partition',
    ExpressionAttributeValues: { ':partition': surveyKeys.candidatePartition(region) },
  });
  return items.map(candidateFromItem);
}
