/**
 * Aggregates of the cascade and the regions, as pure functions.
 *
 * Every source item (a training, a registration, a certificate, a training's released feedback) contributes
 * a fixed set of additive amounts to a few aggregate items. The analytics consumer remembers, per
 * source item, the contribution it last applied and the stream sequence number it came from
 * (the "applied marker"); a record adds only the difference between its image's contribution and
 * the remembered one, and only if it is newer than the marker. So a duplicate, a replay of an old
 * record or two workers with the same record change nothing twice, and the aggregates always equal
 * the sum of the current images' contributions — which is exactly what `reconcile` recomputes.
 *
 * Distinct counts (active multipliers) stay additive in a month item by keeping one counter per
 * trainer (`mult|{level}|{topic}|{trainerSub}`): a trainer is active where their counter is above
 * zero, and a range of months counts each trainer once. A month item holds only that month's
 * trainers. The all-time item cannot: it would grow by every trainer the region ever had, past
 * DynamoDB's 400 KB item limit within years. It holds one count instead, `activeMultipliers`,
 * which moves when a multiplier item's `trainingsHeld` crosses zero (withActiveMultipliers); the
 * consumer writes that step under a condition on the count it read, so it stays exact under
 * concurrency, and reconcile recomputes it from the multiplier items (deriveActiveMultipliers).
 */
import { isTopicId } from '../config/topics';
import { inAlmaty } from '../locale/almaty';
import { titleIn } from '../locale/title';
import { firstSessionStart } from './training';
import type { Training } from '../schemas/training';

/** The aggregate items a contribution can go to. */
export type AggregateTarget =
  | { kind: 'regionMonth'; region: string; month: string }
  | { kind: 'regionTotal'; region: string }
  | { kind: 'cascadeNode'; rootId: string; level: number; trainingId: string }
  | { kind: 'multiplier'; region: string; trainerSub: string }
  /** The follow-up survey's figures of a region's month (domain/survey-aggregates). */
  | { kind: 'surveyMonth'; region: string; month: string };

export type MultiplierTarget = Extract<AggregateTarget, { kind: 'multiplier' }>;

export type SetValue = string | number;

export interface ContributionPart {
  target: AggregateTarget;
  add: Record<string, number>;
  /** Descriptive attributes (names, titles); the newest record's values win. */
  set?: Record<string, SetValue>;
}

export type Contribution = ContributionPart[];

export function targetId(target: AggregateTarget): string {
  switch (target.kind) {
    case 'regionMonth':
      return `regionMonth|${target.region}|${target.month}`;
    case 'regionTotal':
      return `regionTotal|${target.region}`;
    case 'cascadeNode':
      return `cascadeNode|${target.rootId}|${target.level}|${target.trainingId}`;
    case 'multiplier':
      return `multiplier|${target.region}|${target.trainerSub}`;
    case 'surveyMonth':
      return `surveyMonth|${target.region}|${target.month}`;
  }
}

/** The counters a region item holds, per level and topic. */
export const regionCounters = [
  'scheduled',
  'held',
  'cancelled',
  'registrations',
  'confirmed',
  'completed',
  'issued',
  'revoked',
  'responses',
  'ratingSum',
  'ratingCount',
] as const;
export type RegionCounter = (typeof regionCounters)[number];

/** The separator of an attribute name's parts; no part may contain it, or names would collide. */
export const NAME_SEPARATOR = '|';
// Trainer subs are Cognito UUIDs (or the local runtime's hash of the email).
const SUB_PART = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Refuses to build an attribute name from anything but a vocabulary id and a subject id: a
 * training stored with a free-text topic fails here (loudly, in the consumer) until
 * `npm run migrate:topics` maps it, rather than growing an item by whatever a trainer typed.
 */
function assertNamePart(value: string, valid: (part: string) => boolean, what: string): string {
  if (value.includes(NAME_SEPARATOR) || !valid(value)) {
    throw new RangeError(`An aggregate attribute name cannot hold this ${what}; run npm run migrate:topics if trainings hold free-text topics.`);
  }
  return value;
}

/** Any `{counter}|{level}|{topic}` name: a region item's, or a survey month's (domain/survey-aggregates). */
export function counterName(counter: string, level: number, topic: string): string {
  return [counter, String(level), assertNamePart(topic, isTopicId, 'topic')].join(NAME_SEPARATOR);
}

export function multiplierCounterName(level: number, topic: string, trainerSub: string): string {
  return ['mult', String(level), assertNamePart(topic, isTopicId, 'topic'), assertNamePart(trainerSub, (sub) => SUB_PART.test(sub), 'trainer id')].join(NAME_SEPARATOR);
}


/**
 * Built on first use: the first Intl formatter of a process loads the time-zone data, milliseconds
 * that every function importing this module paid at cold start.
 */
let monthFormat: Intl.DateTimeFormat | undefined;

/** The month a training counts in: its first session's month in Kazakhstan, `YYYY-MM`. */
export function monthOf(instant: string): string {
  const parts = (monthFormat ??= inAlmaty('en-CA', { year: 'numeric', month: '2-digit' })).formatToParts(new Date(instant));
  const year = parts.find((part) => part.type === 'year')!.value;
  const month = parts.find((part) => part.type === 'month')!.value;
  return `${year}-${month}`;
}

/** What of a training the aggregates need: fixed from its publication on (published trainings are not edited). */
export type TrainingFacts = Pick<
  Training,
  | 'id'
  | 'region'
  | 'level'
  | 'topic'
  | 'status'
  | 'title'
  | 'sessions'
  | 'trainer'
  | 'publishedAt'
  | 'qualifyingCertificateId'
  | 'qualifyingCertificateNumber'
  | 'qualifyingCertificateIssuedAt'
  | 'parentTrainingId'
  | 'cascadeRootId'
>;

/** `monthOnly` amounts go to the month item alone (the per-trainer counters, see above). */
function regionParts(training: TrainingFacts, add: Record<string, number>, monthOnly: Record<string, number> = {}): ContributionPart[] {
  const month = monthOf(firstSessionStart(training));
  return [
    { target: { kind: 'regionMonth', region: training.region, month }, add: { ...add, ...monthOnly } },
    { target: { kind: 'regionTotal', region: training.region }, add },
  ];
}

/** A cascade node is one name for every reader: Kazakh, the state language, first. */
function titleOf(training: Pick<Training, 'title'>): string {
  return titleIn(training.title, 'kk');
}

function isMultiplierTraining(training: TrainingFacts): boolean {
  return training.level >= 1 && Boolean(training.qualifyingCertificateId);
}

export function trainingContribution(training: TrainingFacts): Contribution {
  // A draft was never scheduled; a draft that was cancelled never counts either.
  if (!training.publishedAt) return [];
  const { level, topic } = training;
  const held = training.status === 'closed' ? 1 : 0;
  const add: Record<string, number> = {
    [counterName('scheduled', level, topic)]: 1,
    [counterName('held', level, topic)]: held,
    [counterName('cancelled', level, topic)]: training.status === 'cancelled' ? 1 : 0,
  };
  const monthOnly = isMultiplierTraining(training) ? { [multiplierCounterName(level, topic, training.trainer.sub)]: held } : {};
  const parts = regionParts(training, add, monthOnly);
  if (training.cascadeRootId) {
    parts.push({
      target: { kind: 'cascadeNode', rootId: training.cascadeRootId, level, trainingId: training.id },
      add: { held },
      set: {
        trainingId: training.id,
        parentTrainingId: training.parentTrainingId ?? '',
        level,
        region: training.region,
        title: titleOf(training),
        trainerName: training.trainer.name,
        trainerSub: training.trainer.sub,
        firstStart: firstSessionStart(training),
        status: training.status,
        qualifyingCertificateId: training.qualifyingCertificateId ?? '',
        qualifyingCertificateIssuedAt: training.qualifyingCertificateIssuedAt ?? '',
      },
    });
  }
  if (isMultiplierTraining(training)) {
    parts.push({
      target: { kind: 'multiplier', region: training.region, trainerSub: training.trainer.sub },
      add: { trainingsHeld: held },
      set: {
        trainerSub: training.trainer.sub,
        name: training.trainer.name,
        region: training.region,
        certificateNumber: training.qualifyingCertificateNumber ?? '',
      },
    });
  }
  return parts;
}

export function registrationContribution(
  registration: { status: string },
  training: TrainingFacts,
): Contribution {
  if (!training.publishedAt) return [];
  return regionParts(training, {
    [counterName('registrations', training.level, training.topic)]: 1,
    [counterName('confirmed', training.level, training.topic)]: registration.status === 'confirmed' ? 1 : 0,
  });
}

export function certificateContribution(certificate: { status: string }, training: TrainingFacts): Contribution {
  const revoked = certificate.status === 'revoked' ? 1 : 0;
  const parts = regionParts(training, {
    [counterName('completed', training.level, training.topic)]: 1,
    [counterName('issued', training.level, training.topic)]: 1,
    [counterName('revoked', training.level, training.topic)]: revoked,
  });
  if (training.cascadeRootId) {
    parts.push({
      target: { kind: 'cascadeNode', rootId: training.cascadeRootId, level: training.level, trainingId: training.id },
      add: { certified: 1, revoked },
    });
  }
  if (isMultiplierTraining(training)) {
    parts.push({
      target: { kind: 'multiplier', region: training.region, trainerSub: training.trainer.sub },
      add: { reach: 1 - revoked },
    });
  }
  return parts;
}

/**
 * A training's feedback counts in the reports once its results are released, as one block: the
 * number of responses, and the overall rating's sum and count only if the release showed ratings
 * (enough responses). So a report cell's mean is built from released blocks of at least the
 * minimum, never from a single response, and no marker ever holds one response's rating or order.
 */
export function feedbackContribution(
  state: { releasedAt?: string; responses?: number; ratingsReleased?: boolean; ratings?: { overall?: { sum: number; count: number } } },
  training: TrainingFacts,
): Contribution {
  if (!state.releasedAt) return [];
  const overall = state.ratingsReleased ? state.ratings?.overall : undefined;
  return regionParts(training, {
    [counterName('responses', training.level, training.topic)]: state.responses ?? 0,
    [counterName('ratingSum', training.level, training.topic)]: overall?.sum ?? 0,
    [counterName('ratingCount', training.level, training.topic)]: overall?.count ?? 0,
  });
}

/** The change from `previous` to `next`, per target: only non-zero amounts and changed descriptions. */
export function contributionDelta(next: Contribution, previous: Contribution): Contribution {
  const byId = new Map<string, ContributionPart>();
  const partFor = (target: AggregateTarget) => {
    const id = targetId(target);
    let part = byId.get(id);
    if (!part) byId.set(id, (part = { target, add: {} }));
    return part;
  };
  const previousSets = new Map<string, Record<string, SetValue>>();
  for (const part of previous) {
    const delta = partFor(part.target);
    for (const [name, amount] of Object.entries(part.add)) delta.add[name] = (delta.add[name] ?? 0) - amount;
    if (part.set) previousSets.set(targetId(part.target), { ...previousSets.get(targetId(part.target)), ...part.set });
  }
  for (const part of next) {
    const delta = partFor(part.target);
    for (const [name, amount] of Object.entries(part.add)) delta.add[name] = (delta.add[name] ?? 0) + amount;
    if (part.set) {
      const before = previousSets.get(targetId(part.target)) ?? {};
      const changed = Object.entries(part.set).filter(([name, value]) => before[name] !== value);
      if (changed.length > 0) delta.set = { ...delta.set, ...Object.fromEntries(changed) };
    }
  }
  const result: Contribution = [];
  for (const part of byId.values()) {
    const add = Object.fromEntries(Object.entries(part.add).filter(([, amount]) => amount !== 0));
    if (Object.keys(add).length === 0 && !part.set) continue;
    result.push({ target: part.target, add, ...(part.set ? { set: part.set } : {}) });
  }
  return result;
}

/** The applied marker of one source item: the contribution last applied and the record it came from. */
export interface AppliedMarker {
  /** The stream sequence number, zero-padded so string order is number order. */
  sequence: string;
  contribution: Contribution;
}

export function paddedSequence(sequenceNumber: string): string {
  if (!/^\d{1,40}$/.test(sequenceNumber)) throw new RangeError(`Not a stream sequence number: ${sequenceNumber}`);
  return sequenceNumber.padStart(40, '0');
}

export type ApplicationPlan =
  | { kind: 'skip'; why: 'stale' | 'unchanged' }
  | { kind: 'apply'; delta: Contribution; marker: AppliedMarker };

/**
 * What a record with `contribution` at `sequence` does, given the marker read for its source
 * item: nothing if the marker is as new or newer (a duplicate or a replayed older record), else
 * the delta and the new marker. An unchanged contribution needs no write at all: the marker's
 * contribution already equals it, so any later record is measured against the right amounts.
 */
export function planApplication(marker: AppliedMarker | undefined, sequence: string, contribution: Contribution): ApplicationPlan {
  if (marker && marker.sequence >= sequence) return { kind: 'skip', why: 'stale' };
  const delta = contributionDelta(contribution, marker?.contribution ?? []);
  if (delta.length === 0) return { kind: 'skip', why: 'unchanged' };
  return { kind: 'apply', delta, marker: { sequence, contribution } };
}

/** An aggregate item's counters and descriptions after adding parts to it. */
export interface AggregateValues {
  add: Record<string, number>;
  set: Record<string, SetValue>;
}

export type AggregateSums = Map<string, { target: AggregateTarget; values: AggregateValues }>;

/** Adds one contribution into running sums (reconcile streams a million sources through this). */
export function addContribution(items: AggregateSums, contribution: Contribution): void {
  for (const part of contribution) {
    const id = targetId(part.target);
    let item = items.get(id);
    if (!item) items.set(id, (item = { target: part.target, values: { add: {}, set: {} } }));
    for (const [name, amount] of Object.entries(part.add)) item.values.add[name] = (item.values.add[name] ?? 0) + amount;
    Object.assign(item.values.set, part.set);
  }
}

/** Sums contributions into aggregate items: the recomputation `reconcile` compares with the table. */
export function sumContributions(contributions: Iterable<Contribution>): AggregateSums {
  const items: AggregateSums = new Map();
  for (const contribution of contributions) addContribution(items, contribution);
  return items;
}

/** The all-time item's count of the region's multipliers who have held a training. */
export const ACTIVE_MULTIPLIERS = 'activeMultipliers';

/** The multiplier items whose `trainingsHeld` a delta changes, and by how much. */
export function trainingsHeldChanges(delta: Contribution): { target: MultiplierTarget; change: number }[] {
  return delta.flatMap((part) =>
    part.target.kind === 'multiplier' && (part.add.trainingsHeld ?? 0) !== 0 ? [{ target: part.target, change: part.add.trainingsHeld! }] : [],
  );
}

/**
 * The delta with the all-time active-multiplier steps it implies: +1 on the region's total where a
 * multiplier's `trainingsHeld` goes from zero to more, −1 where it goes back to zero. `heldBefore`
 * is the count the delta will be applied to (the writer must make sure it still is).
 */
export function withActiveMultipliers(delta: Contribution, heldBefore: (target: MultiplierTarget) => number): Contribution {
  const steps = new Map<string, number>();
  for (const { target, change } of trainingsHeldChanges(delta)) {
    const before = heldBefore(target);
    const step = Number(before + change > 0) - Number(before > 0);
    if (step !== 0) steps.set(target.region, (steps.get(target.region) ?? 0) + step);
  }
  if (steps.size === 0) return delta;
  // One part per item: a transaction may not touch the same item twice.
  const result = delta.map((part) => {
    const { target } = part;
    if (target.kind !== 'regionTotal') return part;
    const step = steps.get(target.region);
    if (step === undefined) return part;
    steps.delete(target.region);
    return { ...part, add: { ...part.add, [ACTIVE_MULTIPLIERS]: (part.add[ACTIVE_MULTIPLIERS] ?? 0) + step } };
  });
  for (const [region, step] of steps) result.push({ target: { kind: 'regionTotal', region }, add: { [ACTIVE_MULTIPLIERS]: step } });
  return result;
}

/** Sets each region total's active multipliers to the number of its multiplier items with `trainingsHeld` above zero. */
export function deriveActiveMultipliers(items: AggregateSums): void {
  const active = new Map<string, number>();
  for (const { target, values } of items.values()) {
    if (target.kind === 'multiplier' && (values.add.trainingsHeld ?? 0) > 0) active.set(target.region, (active.get(target.region) ?? 0) + 1);
  }
  for (const [region, count] of active) {
    const target: AggregateTarget = { kind: 'regionTotal', region };
    const id = targetId(target);
    let item = items.get(id);
    if (!item) items.set(id, (item = { target, values: { add: {}, set: {} } }));
    item.values.add[ACTIVE_MULTIPLIERS] = count;
  }
}

/**
 * Several sources' deltas as one part per aggregate item, for one transaction (which may touch an
 * item only once): amounts summed, descriptions merged in the order given (pass the deltas oldest
 * record first, so the newest record's values win, as they would applied one by one). Amounts
 * that cancel out are left out, and so is a part left with nothing to write.
 */
export function coalesceDeltas(deltas: Iterable<Contribution>): Contribution {
  const result: Contribution = [];
  for (const { target, values } of sumContributions(deltas).values()) {
    const add = Object.fromEntries(Object.entries(values.add).filter(([, amount]) => amount !== 0));
    const hasSet = Object.keys(values.set).length > 0;
    if (Object.keys(add).length === 0 && !hasSet) continue;
    result.push({ target, add, ...(hasSet ? { set: values.set } : {}) });
  }
  return result;
}
