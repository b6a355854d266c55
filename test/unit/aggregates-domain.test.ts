import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_MULTIPLIERS,
  certificateContribution,
  contributionDelta,
  counterName,
  deriveActiveMultipliers,
  feedbackContribution,
  monthOf,
  multiplierCounterName,
  paddedSequence,
  planApplication,
  registrationContribution,
  sumContributions,
  targetId,
  trainingContribution,
  withActiveMultipliers,
  type AppliedMarker,
  type Contribution,
  type TrainingFacts,
} from '../../shared/domain/aggregates';
import { cascadeSummary, metricsOf, monthsBetween, type CascadeNode } from '../../shared/domain/reports';

function training(overrides: Partial<TrainingFacts> = {}): TrainingFacts {
  return {
    id: 't1',
    region: 'almaty',
    level: 1,
    topic: 'lesson-study',
    status: 'published',
    title: { kk: 'Сабақты зерттеу' },
    sessions: [{ id: 's1', startsAt: '2026-02-28T20:00:00.000Z', endsAt: '2026-02-28T23:00:00.000Z' }],
    trainer: { sub: 'trainer-1', name: 'Ерлан Әбенов', email: 'e@x.kz' },
    publishedAt: '2026-02-01T00:00:00.000Z',
    qualifyingCertificateId: 'q1',
    qualifyingCertificateNumber: 'DESTT-2025-AST-000001',
    qualifyingCertificateIssuedAt: '2025-12-01T00:00:00.000Z',
    parentTrainingId: 'root',
    cascadeRootId: 'root',
    ...overrides,
  };
}

describe('contributions', () => {
  it('counts a training in the month of its first session in Kazakhstan', () => {
    // 20:00 UTC on 28 February is 1 March in Almaty (UTC+5).
    expect(monthOf('2026-02-28T20:00:00.000Z')).toBe('2026-03');
    const parts = trainingContribution(training());
    expect(parts.map((part) => targetId(part.target))).toEqual([
      'regionMonth|almaty|2026-03',
      'regionTotal|almaty',
      'cascadeNode|root|1|t1',
      'multiplier|almaty|trainer-1',
    ]);
  });

  it('a draft contributes nothing; closing turns scheduled into held and activates the multiplier', () => {
    expect(trainingContribution(training({ publishedAt: undefined, status: 'draft' }))).toEqual([]);
    const delta = contributionDelta(trainingContribution(training({ status: 'closed' })), trainingContribution(training()));
    const month = delta.find((part) => part.target.kind === 'regionMonth')!;
    expect(month.add).toEqual({
      [counterName('held', 1, 'lesson-study')]: 1,
      [multiplierCounterName(1, 'lesson-study', 'trainer-1')]: 1,
    });
    // The all-time item names no trainer: it would grow with every trainer the region ever had.
    expect(delta.find((part) => part.target.kind === 'regionTotal')!.add).toEqual({ [counterName('held', 1, 'lesson-study')]: 1 });
    expect(delta.find((part) => part.target.kind === 'cascadeNode')).toEqual({
      target: { kind: 'cascadeNode', rootId: 'root', level: 1, trainingId: 't1' },
      add: { held: 1 },
      set: { status: 'closed' },
    });
  });

  it('a withdrawal takes back a confirmation but not the registration', () => {
    const delta = contributionDelta(registrationContribution({ status: 'cancelled' }, training()), registrationContribution({ status: 'confirmed' }, training()));
    expect(delta).toHaveLength(2);
    expect(delta[0]!.add).toEqual({ [counterName('confirmed', 1, 'lesson-study')]: -1 });
  });

  it('a revocation counts as revoked and leaves the multiplier\'s reach', () => {
    const delta = contributionDelta(certificateContribution({ status: 'revoked' }, training()), certificateContribution({ status: 'valid' }, training()));
    expect(delta.map((part) => part.add)).toEqual([
      { [counterName('revoked', 1, 'lesson-study')]: 1 },
      { [counterName('revoked', 1, 'lesson-study')]: 1 },
      { revoked: 1 },
      { reach: -1 },
    ]);
  });

  it('an unchanged image has no delta, so nothing is written', () => {
    const contribution = certificateContribution({ status: 'valid' }, training());
    expect(contributionDelta(contribution, contribution)).toEqual([]);
    expect(planApplication({ sequence: paddedSequence('1'), contribution }, paddedSequence('2'), contribution)).toEqual({
      kind: 'skip',
      why: 'unchanged',
    });
  });

  it('a record no newer than the marker is skipped: duplicates and replays', () => {
    const marker: AppliedMarker = { sequence: paddedSequence('200'), contribution: [] };
    const contribution = feedbackContribution(released(6, 27), training());
    expect(planApplication(marker, paddedSequence('200'), contribution)).toEqual({ kind: 'skip', why: 'stale' });
    expect(planApplication(marker, paddedSequence('99'), contribution)).toEqual({ kind: 'skip', why: 'stale' });
    expect(planApplication(marker, paddedSequence('1000'), contribution)).toMatchObject({ kind: 'apply' });
  });

  it('pads sequence numbers so string order is number order', () => {
    expect(paddedSequence('99') < paddedSequence('100')).toBe(true);
    expect(() => paddedSequence('12a')).toThrow(RangeError);
  });
});

/** The table as the consumer leaves it: markers and aggregate items, in memory. */
function applyAll(deliveries: readonly { source: string; sequence: number; contribution: Contribution }[]) {
  const markers = new Map<string, AppliedMarker>();
  const aggregates = new Map<string, { add: Record<string, number>; set: Record<string, string | number> }>();
  for (const delivery of deliveries) {
    const plan = planApplication(markers.get(delivery.source), paddedSequence(String(delivery.sequence)), delivery.contribution);
    if (plan.kind === 'skip') continue;
    markers.set(delivery.source, plan.marker);
    const delta = withActiveMultipliers(plan.delta, (target) => aggregates.get(targetId(target))?.add.trainingsHeld ?? 0);
    for (const part of delta) {
      const id = targetId(part.target);
      const item = aggregates.get(id) ?? { add: {}, set: {} };
      for (const [name, amount] of Object.entries(part.add)) item.add[name] = (item.add[name] ?? 0) + amount;
      Object.assign(item.set, part.set);
      aggregates.set(id, item);
    }
  }
  return aggregates;
}

function nonZero(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, amount]) => amount !== 0));
}

describe('property: incremental aggregates equal recomputation', () => {
  // t4 has t2's trainer: that multiplier is active while either of their trainings is held.
  const trainingIds = ['t1', 't2', 't3', 't4'];
  const facts = (id: string, status: TrainingFacts['status']) =>
    training({
      id,
      status,
      region: id === 't3' ? 'astana' : 'almaty',
      level: id === 't1' ? 0 : 1,
      topic: id === 't2' ? 'action-research' : 'lesson-study',
      trainer: { sub: `trainer-${id === 't4' ? 't2' : id}`, name: 'Әсел', email: 'a@x.kz' },
    });
  // A source item's successive images, as writes produce them.
  const event = fc.oneof(
    fc.record({ kind: fc.constant('training' as const), id: fc.constantFrom(...trainingIds), status: fc.constantFrom('published' as const, 'closed' as const, 'cancelled' as const) }),
    fc.record({ kind: fc.constant('registration' as const), id: fc.constantFrom('r1', 'r2', 'r3', 'r4'), training: fc.constantFrom(...trainingIds), status: fc.constantFrom('confirmed', 'waitlisted', 'cancelled') }),
    fc.record({ kind: fc.constant('certificate' as const), id: fc.constantFrom('c1', 'c2', 'c3'), training: fc.constantFrom(...trainingIds), status: fc.constantFrom('valid', 'revoked') }),
    // A training's feedback state: counted from its release on, as one block.
    fc.record({ kind: fc.constant('feedback' as const), id: fc.constantFrom('f1', 'f2'), training: fc.constantFrom(...trainingIds), responses: fc.integer({ min: 0, max: 12 }), sum: fc.integer({ min: 0, max: 60 }), released: fc.boolean() }),
  );

  it('holds for any events delivered with duplicates, replays of old records and reordering', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
        (events, disorder) => {
          // Trainings are fixed facts once published; their own records change status only.
          const trainingStatus = new Map<string, TrainingFacts['status']>(trainingIds.map((id) => [id, 'published']));
          const trainingOfSource = new Map<string, string>();
          const records: { source: string; sequence: number; contribution: Contribution }[] = [];
          const current = new Map<string, Contribution>();
          events.forEach((change, index) => {
            let source: string;
            let contribution: Contribution;
            switch (change.kind) {
              case 'training':
                source = `training#${change.id}`;
                trainingStatus.set(change.id, change.status);
                contribution = trainingContribution(facts(change.id, change.status));
                break;
              case 'registration':
                source = `registration#${trainingOfSource.get(change.id) ?? change.training}#${change.id}`;
                trainingOfSource.set(change.id, trainingOfSource.get(change.id) ?? change.training);
                contribution = registrationContribution(change, facts(trainingOfSource.get(change.id)!, 'published'));
                break;
              case 'certificate':
                source = `certificate#${change.id}`;
                trainingOfSource.set(change.id, trainingOfSource.get(change.id) ?? change.training);
                contribution = certificateContribution(change, facts(trainingOfSource.get(change.id)!, 'published'));
                break;
              case 'feedback':
                source = `feedback#${change.id}`;
                trainingOfSource.set(change.id, trainingOfSource.get(change.id) ?? change.training);
                contribution = feedbackContribution(change.released ? released(change.responses, change.sum) : { responses: change.responses }, facts(trainingOfSource.get(change.id)!, 'published'));
                break;
            }
            records.push({ source, sequence: (index + 1) * 10, contribution });
            current.set(source, contribution);
          });
          // At-least-once delivery: every record at least once, some again later (duplicates and
          // replays of older records), in a shuffled order across and within items.
          const deliveries = [...records];
          for (const [at, which] of disorder) deliveries.splice(at % (deliveries.length + 1), 0, records[which % records.length]!);
          for (const [a, b] of disorder) {
            const i = a % deliveries.length;
            const j = b % deliveries.length;
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          // The newest record of every item is delivered last at some point (the stream's guarantee
          // per item: a retry ends with it).
          for (const record of records) deliveries.push(record);

          const incremental = applyAll(deliveries);
          const recomputed = sumContributions(current.values());
          deriveActiveMultipliers(recomputed);
          const ids = new Set([...incremental.keys(), ...recomputed.keys()]);
          for (const id of ids) {
            expect(nonZero(incremental.get(id)?.add ?? {}), id).toEqual(nonZero(recomputed.get(id)?.values.add ?? {}));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('all-time active multipliers', () => {
  const multiplier = { kind: 'multiplier', region: 'almaty', trainerSub: 'sub-1' } as const;
  const heldChange = (change: number): Contribution => [
    { target: { kind: 'regionTotal', region: 'almaty' }, add: { [counterName('held', 1, 'a')]: change } },
    { target: multiplier, add: { trainingsHeld: change } },
  ];
  const totalOf = (contribution: Contribution) => contribution.find((part) => part.target.kind === 'regionTotal')!.add;

  it('steps the region total when a multiplier’s trainings held cross zero, and only then', () => {
    expect(totalOf(withActiveMultipliers(heldChange(1), () => 0))[ACTIVE_MULTIPLIERS]).toBe(1);
    expect(totalOf(withActiveMultipliers(heldChange(1), () => 2))[ACTIVE_MULTIPLIERS]).toBeUndefined();
    expect(totalOf(withActiveMultipliers(heldChange(-1), () => 1))[ACTIVE_MULTIPLIERS]).toBe(-1);
    expect(totalOf(withActiveMultipliers(heldChange(-1), () => 3))[ACTIVE_MULTIPLIERS]).toBeUndefined();
  });

  it('adds the step to the delta’s own total part (one update per item), or a part of its own', () => {
    const merged = withActiveMultipliers(heldChange(1), () => 0);
    expect(merged.filter((part) => part.target.kind === 'regionTotal')).toHaveLength(1);
    const alone = withActiveMultipliers([{ target: multiplier, add: { trainingsHeld: 1 } }], () => 0);
    expect(alone).toContainEqual({ target: { kind: 'regionTotal', region: 'almaty' }, add: { [ACTIVE_MULTIPLIERS]: 1 } });
  });

  it('recomputes the count from the multiplier items', () => {
    const sums = sumContributions([
      [{ target: multiplier, add: { trainingsHeld: 2 } }],
      [{ target: { ...multiplier, trainerSub: 'sub-2' }, add: { trainingsHeld: 0 } }],
      [{ target: { kind: 'multiplier', region: 'astana', trainerSub: 'sub-3' }, add: { trainingsHeld: 1 } }],
    ]);
    deriveActiveMultipliers(sums);
    expect(sums.get('regionTotal|almaty')?.values.add[ACTIVE_MULTIPLIERS]).toBe(2 - 1);
    expect(sums.get('regionTotal|astana')?.values.add[ACTIVE_MULTIPLIERS]).toBe(1);
  });
});

/** A released feedback state of `responses` responses whose overall ratings sum to `sum`. */
function released(responses: number, sum: number) {
  return {
    releasedAt: '2026-06-01T00:00:00.000Z',
    responses,
    ratingsReleased: responses >= 5,
    ratings: { overall: { sum, count: responses } },
  };
}

describe('feedback in the aggregates', () => {
  it('counts nothing before release, then the released block: ratings only when the release showed them', () => {
    expect(feedbackContribution({ responses: 7 }, training())).toEqual([]);
    const shown = feedbackContribution(released(6, 27), training());
    expect(shown[0]!.add).toEqual({ [counterName('responses', 1, 'lesson-study')]: 6, [counterName('ratingSum', 1, 'lesson-study')]: 27, [counterName('ratingCount', 1, 'lesson-study')]: 6 });
    // Released below the minimum: the count only, never the lone ratings' sum.
    const lone = feedbackContribution({ ...released(1, 5), ratingsReleased: false }, training());
    expect(lone[0]!.add).toEqual({ [counterName('responses', 1, 'lesson-study')]: 1, [counterName('ratingSum', 1, 'lesson-study')]: 0, [counterName('ratingCount', 1, 'lesson-study')]: 0 });
  });

  it('never prints a mean below the minimum, and says why', () => {
    const cell = { [counterName('responses', 1, 'a')]: 4, [counterName('ratingSum', 1, 'a')]: 17, [counterName('ratingCount', 1, 'a')]: 4 };
    expect(metricsOf([cell], undefined, undefined, 5)).toMatchObject({ feedbackResponses: 4, meanRating: null, meanRatingWithheld: true });
    expect(metricsOf([cell], undefined, undefined, 3)).toMatchObject({ meanRating: 4.25, meanRatingWithheld: false });
    expect(metricsOf([{}], undefined, undefined, 5)).toMatchObject({ feedbackResponses: 0, meanRating: null, meanRatingWithheld: false });
  });
});

describe('report figures', () => {
  const monthItem = {
    [counterName('scheduled', 1, 'a')]: 2,
    [counterName('held', 1, 'a')]: 1,
    [counterName('confirmed', 1, 'a')]: 20,
    [counterName('responses', 1, 'a')]: 10,
    [counterName('ratingSum', 1, 'a')]: 45,
    [counterName('ratingCount', 1, 'a')]: 10,
    [counterName('issued', 1, 'a')]: 18,
    [counterName('revoked', 1, 'a')]: 1,
    [counterName('scheduled', 2, 'b')]: 3,
    [multiplierCounterName(1, 'a', 'sub-1')]: 1,
    [multiplierCounterName(2, 'b', 'sub-1')]: 2,
    [multiplierCounterName(2, 'b', 'sub-2')]: 0,
  };

  it('sums counters, counts distinct active multipliers and derives the rates', () => {
    expect(metricsOf([monthItem])).toEqual({
      trainingsScheduled: 5,
      trainingsHeld: 1,
      trainingsCancelled: 0,
      registrations: 0,
      confirmed: 20,
      completed: 0,
      certificatesIssued: 18,
      certificatesRevoked: 1,
      activeMultipliers: 1,
      teachersReached: 17,
      feedbackResponses: 10,
      meanRating: 4.5,
      meanRatingWithheld: false,
      feedbackResponseRate: 0.5,
    });
    expect(metricsOf([monthItem], 2)).toMatchObject({ trainingsScheduled: 3, activeMultipliers: 1, meanRating: null, feedbackResponseRate: null });
    expect(metricsOf([])).toMatchObject({ trainingsScheduled: 0, meanRating: null });
    expect(metricsOf([{ [counterName('held', 1, 'a')]: 4, [ACTIVE_MULTIPLIERS]: 3 }])).toMatchObject({ trainingsHeld: 4, activeMultipliers: 3 });
  });

  it('lists the months of a range across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('summarises a cascade: multipliers, reach, drop-off and days to the first training', () => {
    const node = (overrides: Partial<CascadeNode>): CascadeNode => ({
      trainingId: 'x',
      parentTrainingId: '',
      level: 0,
      region: 'almaty',
      title: '',
      trainerName: '',
      trainerSub: 'n',
      firstStart: '2026-01-01T00:00:00.000Z',
      status: 'closed',
      qualifyingCertificateId: '',
      qualifyingCertificateIssuedAt: '',
      held: 1,
      certified: 0,
      revoked: 0,
      ...overrides,
    });
    const certifiedAt = '2026-01-10T00:00:00.000Z';
    const nodes = [
      node({ trainingId: 'root', level: 0, certified: 4 }),
      node({ trainingId: 'a', level: 1, trainerSub: 'm1', certified: 20, revoked: 1, firstStart: '2026-01-20T00:00:00.000Z', qualifyingCertificateIssuedAt: certifiedAt }),
      node({ trainingId: 'b', level: 1, trainerSub: 'm1', certified: 10, firstStart: '2026-02-20T00:00:00.000Z', qualifyingCertificateIssuedAt: certifiedAt }),
      node({ trainingId: 'c', level: 1, trainerSub: 'm2', certified: 10, firstStart: '2026-01-30T00:00:00.000Z', qualifyingCertificateIssuedAt: certifiedAt }),
      node({ trainingId: 'd', level: 1, trainerSub: 'm3', held: 0, status: 'published', certified: 0 }),
      node({ trainingId: 'e', level: 2, trainerSub: 't1', certified: 25, firstStart: '2026-03-01T00:00:00.000Z', qualifyingCertificateIssuedAt: '2026-02-25T00:00:00.000Z' }),
    ];
    expect(cascadeSummary(nodes, 0, 2)).toEqual({
      multipliers: 3,
      trainingsHeld: 4,
      reach: 64,
      multiplicationFactor: 21.33,
      dropOffByLevel: [
        { level: 0, certified: 4, deliveredNext: 2, dropOffRate: 0.5 },
        { level: 1, certified: 39, deliveredNext: 1, dropOffRate: 0.9744 },
      ],
      // m1: 10 days, m2: 20 days, t1: 4 days.
      medianDaysToFirstTraining: 10,
    });
  });
});
