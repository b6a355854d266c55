/**
 * The analytics consumer's one action: bring the aggregates in line with a source item's image
 * seen on the stream (domain/aggregates explains the applied markers).
 */
import {
  certificateContribution,
  coalesceDeltas,
  feedbackContribution,
  planApplication,
  registrationContribution,
  targetId,
  trainingContribution,
  trainingsHeldChanges,
  withActiveMultipliers,
  type AppliedMarker,
  type Contribution,
  type MultiplierTarget,
  type TrainingFacts,
} from '../domain/aggregates';
import { faultPoint } from '../faults';
import { logger } from '../observability/logger';
import {
  applyDelta,
  applyDeltas,
  applyOnce,
  MAX_TRANSACTION_ITEMS,
  readMarker,
  readMarkers,
  readTrainingsHeld,
  sourceId,
  type SourceKey,
} from '../store/aggregates';
import { entityTypes } from '../store/entity-types';
import { findTraining, findTrainings, trainingFromItem } from '../store/trainings';
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

/** One stream record for the analytics consumer: its NewImage, padded sequence and the id to report it by. */
export interface SourceRecord {
  id: string;
  image: Image;
  sequence: string;
}

interface SourceInBatch {
  source: SourceKey;
  image: Image;
  sequence: string;
  /** Every record of the batch about this source (duplicates and older images included). */
  ids: string[];
}

interface PlannedSource {
  entry: SourceInBatch;
  previous: AppliedMarker | undefined;
  delta: Contribution;
  marker: AppliedMarker;
}

/**
 * Items a transaction of these sources may write, at most: a marker each, one part per aggregate
 * item, and the region totals an active-multiplier step may add.
 */
function itemsOf(plans: readonly PlannedSource[]): number {
  const targets = new Set<string>();
  for (const { delta } of plans) {
    for (const part of delta) {
      targets.add(targetId(part.target));
      if (part.target.kind === 'multiplier') targets.add(targetId({ kind: 'regionTotal', region: part.target.region }));
    }
  }
  return plans.length + targets.size;
}

/** Consecutive groups of plans that each fit one transaction. */
function transactionsOf(plans: readonly PlannedSource[]): PlannedSource[][] {
  const groups: PlannedSource[][] = [];
  let current: PlannedSource[] = [];
  for (const plan of plans) {
    if (current.length > 0 && itemsOf([...current, plan]) > MAX_TRANSACTION_ITEMS) {
      groups.push(current);
      current = [];
    }
    current.push(plan);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A batch of stream records, with as few round trips as the markers allow: the trainings and the
 * markers read in one BatchGet each, only the newest record of each source planned (applying an
 * older one first would end in the same place: the delta is always measured from the marker), and
 * the sources' deltas summed per aggregate item into transactions of at most 100 items. Every
 * marker in a transaction is guarded as it was read, so a duplicate, a replay or another worker
 * that got there first fails the transaction and writes nothing; its sources are then applied one
 * by one (applySourceImage), each planned again from its marker. Returns the ids of the records
 * that failed, for the stream to deliver again.
 */
export async function applySourceImages(records: readonly SourceRecord[]): Promise<string[]> {
  const failed = new Set<string>();
  const fail = (entry: SourceInBatch, error: unknown) => {
    logger.error('Analytics record failed; the stream will deliver it again', { source: entry.source.sk.split('#')[0], error });
    for (const id of entry.ids) failed.add(id);
  };
  const bySource = new Map<string, SourceInBatch>();
  for (const { id, image, sequence } of records) {
    const source: SourceKey = { pk: image.pk as string, sk: image.sk as string };
    const entry = bySource.get(sourceId(source));
    if (!entry) bySource.set(sourceId(source), { source, image, sequence, ids: [id] });
    else {
      entry.ids.push(id);
      if (sequence > entry.sequence) Object.assign(entry, { image, sequence });
    }
  }
  const entries = [...bySource.values()];
  // Region, level, topic, month and cascade are fixed once a training is published.
  const trainings = await findTrainings(
    entries.flatMap(({ image }) => (image.type !== entityTypes.training && typeof image.trainingId === 'string' ? [image.trainingId] : [])),
  );

  const ordered: (SourceInBatch & { contribution: Contribution })[] = [];
  const once: (SourceInBatch & { contribution: Contribution })[] = [];
  for (const entry of entries) {
    let contribution: Contribution | undefined;
    try {
      contribution = contributionOf(entry.image, (trainingId) => trainings.get(trainingId));
    } catch (error) {
      fail(entry, error);
      continue;
    }
    if (!contribution) continue;
    if (!releasedOnceTypes.has(entry.image.type)) ordered.push({ ...entry, contribution });
    else if (contribution.length > 0) once.push({ ...entry, contribution });
  }

  const markers = await readMarkers(ordered.map(({ source }) => source));
  const plans: PlannedSource[] = ordered.flatMap((entry) => {
    const previous = markers.get(sourceId(entry.source));
    const plan = planApplication(previous, entry.sequence, entry.contribution);
    return plan.kind === 'skip' ? [] : [{ entry, previous, delta: plan.delta, marker: plan.marker }];
  });
  // Oldest record first: where two sources set the same description, the newer one's value wins.
  plans.sort((a, b) => (a.entry.sequence < b.entry.sequence ? -1 : a.entry.sequence > b.entry.sequence ? 1 : 0));
  const multipliers = new Map<string, MultiplierTarget>();
  for (const { delta } of plans) for (const { target } of trainingsHeldChanges(delta)) multipliers.set(targetId(target), target);
  const held = await readTrainingsHeld([...multipliers.values()]);

  for (const [index, group] of transactionsOf(plans).entries()) {
    if (index > 0) faultPoint('analytics.between-transactions');
    const summed = coalesceDeltas(group.map(({ delta }) => delta));
    const delta = withActiveMultipliers(summed, (target) => held.get(targetId(target)) ?? 0);
    let outcome: 'applied' | 'moved';
    try {
      outcome = await applyDeltas(
        group.map(({ entry, previous, marker }) => ({ source: entry.source, previous, marker })),
        delta,
        held,
      );
    } catch (error) {
      for (const { entry } of group) fail(entry, error);
      continue;
    }
    if (outcome === 'applied') {
      // The next transaction is planned on the counts this one left.
      for (const { target, change } of trainingsHeldChanges(summed)) held.set(targetId(target), (held.get(targetId(target)) ?? 0) + change);
      continue;
    }
    for (const { entry } of group) {
      await applySourceImage(entry.image, entry.sequence).catch((error: unknown) => fail(entry, error));
    }
  }
  // Released feedback and survey waves are rare and applied once, each on its own.
  for (const entry of once) {
    await applyOnce(entry.source, entry.contribution).catch((error: unknown) => fail(entry, error));
  }
  return [...failed];
}
