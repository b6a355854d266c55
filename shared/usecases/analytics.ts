/**
 * The analytics consumer's one action: bring the aggregates in line with a source item's image
 * seen on the stream (domain/aggregates explains the applied markers).
 */
import {
  certificateContribution,
  feedbackContribution,
  planApplication,
  registrationContribution,
  targetId,
  trainingContribution,
  trainingsHeldChanges,
  withActiveMultipliers,
  type Contribution,
  type TrainingFacts,
} from '../domain/aggregates';
import { applyDelta, applyOnce, readMarker, readTrainingsHeld, type SourceKey } from '../store/aggregates';
import { entityTypes } from '../store/keys';
import { findTraining, trainingFromItem } from '../store/trainings';
import { releasedOnceTypes, surveyContributionOf } from './analytics-survey';

type Image = Record<string, unknown>;

/** A source item's contribution; `undefined` when the item is not one the aggregates count. */
export function contributionOf(image: Image, trainingOf: (trainingId: string) => TrainingFacts | undefined): Contribution | undefined {
  if (image.type === entityTypes.training) return trainingContribution(trainingFromItem(image));
  const training = typeof image.trainingId === 'string' ? trainingOf(image.trainingId) : undefined;
  if (!training) return undefined;
  switch (image.type) {
    case entityTypes.registration:
      return registrationContribution(image as { status: string }, training);
    case entityTypes.certificate:
      return certificateContribution(image as { status: string }, training);
    case entityTypes.feedbackState:
      return feedbackContribution(image, training);
    default:
      return surveyContributionOf(image, training);
  }
}

const MAX_ATTEMPTS = 10;

export async function applySourceImage(image: Image, sequence: string): Promise<'applied' | 'skipped'> {
  const source: SourceKey = { pk: image.pk as string, sk: image.sk as string };
  let training: TrainingFacts | undefined;
  if (image.type !== entityTypes.training && typeof image.trainingId === 'string') {
    // Region, level, topic, month and cascade are fixed once a training is published.
    training = (await findTraining(image.trainingId))?.training;
  }
  const contribution = contributionOf(image, () => training);
  if (!contribution) return 'skipped';
  if (releasedOnceTypes.has(image.type)) {
    // Released once and never changed after: applied once, with a marker that holds no order.
    if (contribution.length === 0) return 'skipped';
    return (await applyOnce(source, contribution)) === 'applied' ? 'applied' : 'skipped';
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const marker = await readMarker(source);
    const plan = planApplication(marker, sequence, contribution);
    if (plan.kind === 'skip') return 'skipped';
    const heldBefore = await readTrainingsHeld(trainingsHeldChanges(plan.delta).map(({ target }) => target));
    const delta = withActiveMultipliers(plan.delta, (target) => heldBefore.get(targetId(target)) ?? 0);
    if ((await applyDelta(source, marker, delta, plan.marker, heldBefore)) === 'applied') return 'applied';
  }
  throw new Error(`The applied marker of ${source.pk} or a multiplier's count kept moving; the record will be retried.`);
}
