/**
 * The follow-up survey's part of the analytics consumer, apart from the rest so the consumer's
 * batching can change around it: which survey items count, and which count once.
 */
import type { Contribution, TrainingFacts } from '../domain/aggregates';
import { surveyCandidateContribution, surveyWaveContribution } from '../domain/survey-aggregates';
import { entityTypes } from '../store/entity-types';

/** A survey item's contribution; undefined for any other item. */
export function surveyContributionOf(image: Record<string, unknown>, training: TrainingFacts): Contribution | undefined {
  if (image.type === entityTypes.surveyState) return surveyWaveContribution(image, training);
  if (image.type === entityTypes.surveyCandidate) return surveyCandidateContribution(image, training);
  return undefined;
}

/**
 * Released states count once, with a marker that holds no sequence number (so nothing orders the
 * waves' answers); like released feedback.
 */
export const releasedOnceTypes: ReadonlySet<unknown> = new Set([entityTypes.feedbackState, entityTypes.surveyState]);
