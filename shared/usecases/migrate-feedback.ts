/**
 * One-off migration of feedback written before the release rule and the per-person marks:
 * - every registration's `feedbackSubmittedAt` becomes the person's "answered" marks (by email,
 *   and by account where the registration knows it), so a later registration cannot answer again;
 * - every training with responses gets its feedback state (the count), and a training whose
 *   window has ended is released as the product would release it;
 * - the analytics markers of single responses (each holding a sequence number and a rating) are
 *   deleted: feedback now counts per released training, so they are of no use and only order
 *   responses. `reconcile` (run at the end) rebuilds the aggregates the new way.
 *
 * The releases it writes are stream records the analytics consumer applies while the migration
 * goes on; a reconcile that repairs an aggregate in the middle of that overwrites what the
 * consumer just added. So the caller says how to wait until the stream has applied them.
 *
 * Idempotent: every write is conditional or a delete, so a second run changes nothing.
 */
import { feedbackWindow } from '../domain/feedback';
import { clock } from '../clock';
import { documentClient, tableName } from '../store/client';
import { entityTypes } from '../store/entity-types';
import { feedbackKeys } from '../store/keys';
import { batchWrite, scanTypes } from '../store/reconcile';
import { readFeedbackState } from '../store/feedback';
import { findTraining } from '../store/trainings';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { releaseFeedback } from './feedback';
import { reconcile, type ReconcileReport } from './reconcile';

export interface FeedbackMigrationReport {
  marksWritten: number;
  statesWritten: number;
  released: number;
  responseMarkersDeleted: number;
  reconcile: ReconcileReport;
}

async function putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export interface FeedbackMigrationOptions {
  /** Resolves once the stream consumers have applied every write made so far. */
  untilStreamApplied: () => Promise<void>;
}

export async function migrateFeedback(options: FeedbackMigrationOptions): Promise<FeedbackMigrationReport> {
  const responsesPerTraining = new Map<string, number>();
  const givers: { trainingId: string; email: string; userSub?: string }[] = [];
  const responseMarkers: { pk: string; sk: string }[] = [];
  await scanTypes(
    [entityTypes.feedbackResponse, entityTypes.registration, entityTypes.aggregateSource],
    (items) => {
      for (const item of items) {
        if (item.type === entityTypes.feedbackResponse) {
          const trainingId = item.trainingId as string;
          responsesPerTraining.set(trainingId, (responsesPerTraining.get(trainingId) ?? 0) + 1);
        } else if (item.type === entityTypes.registration && typeof item.feedbackSubmittedAt === 'string') {
          givers.push({ trainingId: item.trainingId as string, email: item.email as string, ...(typeof item.userSub === 'string' ? { userSub: item.userSub } : {}) });
        } else if (item.type === entityTypes.aggregateSource && (item.sk as string).startsWith(feedbackKeys.responsePrefix)) {
          responseMarkers.push({ pk: item.pk as string, sk: item.sk as string });
        }
      }
    },
    { projection: ['pk', 'sk', 'trainingId', 'email', 'userSub', 'feedbackSubmittedAt'] },
  );

  let marksWritten = 0;
  for (const giver of givers) {
    const mark = { type: entityTypes.feedbackGiven, trainingId: giver.trainingId };
    if (await putIfAbsent({ ...feedbackKeys.givenByEmail(giver.trainingId, giver.email), ...mark })) marksWritten++;
    if (giver.userSub && (await putIfAbsent({ ...feedbackKeys.givenBySub(giver.trainingId, giver.userSub), ...mark }))) marksWritten++;
  }

  let statesWritten = 0;
  let released = 0;
  const now = clock.now().getTime();
  for (const [trainingId, responses] of responsesPerTraining) {
    const state = { ...feedbackKeys.state(trainingId), type: entityTypes.feedbackState, trainingId, responses };
    if (await putIfAbsent(state)) statesWritten++;
    const stored = await findTraining(trainingId);
    if (!stored || now < Date.parse(feedbackWindow(stored.training).closesAt)) continue;
    if ((await readFeedbackState(trainingId)).releasedAt !== undefined) continue;
    await releaseFeedback(stored.training, 'window_ended');
    released++;
  }

  await batchWrite(responseMarkers.map((Key) => ({ DeleteRequest: { Key } })), 4);
  await options.untilStreamApplied();
  return {
    marksWritten,
    statesWritten,
    released,
    responseMarkersDeleted: responseMarkers.length,
    reconcile: await reconcile({ repair: true }),
  };
}
