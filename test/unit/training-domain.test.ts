import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal';
import {
  cancelTraining,
  createTraining,
  isVisibleTo,
  plannedHours,
  publishTraining,
  scheduleProblems,
  updateTraining,
} from '../../shared/domain/training';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors';
import { createTrainingSchema, type Training } from '../../shared/schemas/training';

const now = new Date('2026-11-23T06:00:00Z');
const trainer: Principal = { sub: 't-1', email: 't@x.kz', name: 'Ерлан', groups: ['trainers'] };
const otherTrainer: Principal = { sub: 't-2', email: 'o@x.kz', name: 'Бақыт', groups: ['trainers'] };
const admin: Principal = { sub: 'a-1', email: 'a@x.kz', name: 'Әсел', groups: ['admins'] };
const almatyCoordinator: Principal = { sub: 'c-1', email: 'c@x.kz', name: 'Нұрлан', groups: ['coordinators'], region: 'almaty' };
const astanaCoordinator: Principal = { ...almatyCoordinator, sub: 'c-2', region: 'astana' };

let sequence = 0;
const ids = () => `id${++sequence}`;

const session = (start: string, end: string) => ({ startsAt: start, endsAt: end });

function input(overrides: Record<string, unknown> = {}) {
  return createTrainingSchema.parse({
    title: { ru: 'Учитель-лидер' },
    topic: 'leadership',
    language: 'ru',
    region: 'almaty',
    level: 2,
    hours: 72,
    capacity: 20,
    sessions: [
      session('2026-12-01T10:00:00+05:00', '2026-12-01T13:00:00+05:00'),
      session('2026-12-02T10:00:00+05:00', '2026-12-02T13:00:00+05:00'),
    ],
    ...overrides,
  });
}

function draft(overrides: Record<string, unknown> = {}): Training {
  return createTraining(input(overrides), trainer, now, ids);
}

describe('schedule rules', () => {
  it('accepts sessions that follow one another', () => {
    expect(scheduleProblems(input().sessions)).toEqual({});
  });

  it('names a session that ends before it starts', () => {
    const problems = scheduleProblems([session('2026-12-01T10:00:00+05:00', '2026-12-01T09:00:00+05:00')]);
    expect(problems['sessions.0.endsAt']).toEqual(['must be after startsAt']);
  });

  it('rejects a zero-length session', () => {
    const problems = scheduleProblems([session('2026-12-01T10:00:00+05:00', '2026-12-01T10:00:00+05:00')]);
    expect(problems['sessions.0.endsAt']).toBeDefined();
  });

  it('names the later of two overlapping sessions, whatever order they are sent in', () => {
    const problems = scheduleProblems([
      session('2026-12-01T12:00:00+05:00', '2026-12-01T14:00:00+05:00'),
      session('2026-12-01T10:00:00+05:00', '2026-12-01T13:00:00+05:00'),
    ]);
    expect(Object.keys(problems)).toEqual(['sessions.0.startsAt']);
    expect(problems['sessions.0.startsAt']![0]).toMatch(/overlaps session 2/);
  });

  it('compares instants, not wall-clock text, across offsets', () => {
    // 10:00+05:00 is 05:00Z; 06:00Z overlaps it, 08:00+03:00 (05:00Z) starts exactly at its start.
    expect(
      scheduleProblems([
        session('2026-12-01T10:00:00+05:00', '2026-12-01T13:00:00+05:00'),
        session('2026-12-01T06:00:00Z', '2026-12-01T09:00:00Z'),
      ]),
    ).not.toEqual({});
    expect(
      scheduleProblems([
        session('2026-12-01T10:00:00+05:00', '2026-12-01T13:00:00+05:00'),
        session('2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z'),
      ]),
    ).toEqual({});
  });

  it('lets a session start exactly when the previous one ends', () => {
    expect(
      scheduleProblems([
        session('2026-12-01T10:00:00+05:00', '2026-12-01T12:00:00+05:00'),
        session('2026-12-01T12:00:00+05:00', '2026-12-01T14:00:00+05:00'),
      ]),
    ).toEqual({});
  });

  it('requires registration to close before the last session ends', () => {
    const problems = scheduleProblems(input().sessions, '2026-12-02T13:00:00+05:00');
    expect(problems.registrationClosesAt).toBeDefined();
  });

  it('sums planned hours from the sessions', () => {
    expect(plannedHours(draft().sessions)).toBe(6);
  });
});

describe('creating a training', () => {
  it('makes a draft owned by its creator, sessions sorted, with stable ids', () => {
    const training = draft({
      sessions: [
        session('2026-12-02T10:00:00+05:00', '2026-12-02T13:00:00+05:00'),
        session('2026-12-01T10:00:00+05:00', '2026-12-01T13:00:00+05:00'),
      ],
    });
    expect(training.status).toBe('draft');
    expect(training.trainer.sub).toBe('t-1');
    expect(training.sessions.map((s) => s.startsAt)).toEqual(['2026-12-01T05:00:00.000Z', '2026-12-02T05:00:00.000Z']);
    expect(new Set(training.sessions.map((s) => s.id)).size).toBe(2);
    expect(training.completionThreshold).toBe(0.8);
    expect(training.feedbackRequired).toBe(true);
  });

  it('throws a field-level validation error for a broken schedule', () => {
    expect(() => draft({ sessions: [session('2026-12-01T10:00:00+05:00', '2026-12-01T09:00:00+05:00')] })).toThrow(ValidationError);
  });
});

describe('editing', () => {
  it('keeps the ids of sessions sent back with their id and gives new ones to the rest', () => {
    const training = draft();
    const [first] = training.sessions;
    const updated = updateTraining(
      training,
      { sessions: [{ ...first!, venue: 'Зал 2' }, session('2026-12-03T10:00:00+05:00', '2026-12-03T12:00:00+05:00')] },
      trainer,
      now,
      ids,
    );
    expect(updated.sessions[0]!.id).toBe(first!.id);
    expect(updated.sessions[0]!.venue).toBe('Зал 2');
    expect(updated.sessions[1]!.id).not.toBe(training.sessions[1]!.id);
  });

  it('rejects a session id the training does not have', () => {
    const training = draft();
    expect(() =>
      updateTraining(training, { sessions: [{ ...training.sessions[0]!, id: 'forged' }] }, trainer, now, ids),
    ).toThrow(ValidationError);
  });

  it('clears optional fields sent as null', () => {
    const training = draft({ description: 'x', ects: 1 });
    const updated = updateTraining(training, { description: null, ects: null }, trainer, now, ids);
    expect(updated.description).toBeUndefined();
    expect(updated.ects).toBeUndefined();
  });

  it('lets only the trainer or an admin edit, and only drafts', () => {
    const training = draft();
    expect(() => updateTraining(training, { capacity: 5 }, otherTrainer, now, ids)).toThrow(ForbiddenError);
    expect(() => updateTraining(training, { capacity: 5 }, almatyCoordinator, now, ids)).toThrow(ForbiddenError);
    expect(updateTraining(training, { capacity: 5 }, admin, now, ids).capacity).toBe(5);
    const published = publishTraining(training, trainer, now);
    expect(() => updateTraining(published, { capacity: 5 }, trainer, now, ids)).toThrow(ConflictError);
  });
});

describe('publishing', () => {
  it('publishes a draft whose sessions are all in the future', () => {
    const published = publishTraining(draft(), trainer, now);
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBe(now.toISOString());
  });

  it('refuses when a session has already started', () => {
    const training = draft();
    expect(() => publishTraining(training, trainer, new Date('2026-12-01T05:30:00Z'))).toThrow(ValidationError);
  });

  it('refuses to publish twice', () => {
    const published = publishTraining(draft(), trainer, now);
    expect(() => publishTraining(published, trainer, now)).toThrow(ConflictError);
  });

  it('refuses a registration deadline already past', () => {
    const training = draft({ registrationClosesAt: '2026-11-20T00:00:00+05:00' });
    expect(() => publishTraining(training, trainer, now)).toThrow(/Registration would already be closed/);
  });
});

describe('cancelling and visibility', () => {
  it('lets the trainer, an admin or the region\'s coordinator cancel, not another region\'s', () => {
    const training = publishTraining(draft(), trainer, now);
    expect(cancelTraining(training, almatyCoordinator, now, 'flood').status).toBe('cancelled');
    expect(cancelTraining(training, admin, now).status).toBe('cancelled');
    expect(() => cancelTraining(training, astanaCoordinator, now)).toThrow(ForbiddenError);
    expect(() => cancelTraining(training, otherTrainer, now)).toThrow(ForbiddenError);
  });

  it('refuses to cancel twice', () => {
    const cancelled = cancelTraining(draft(), trainer, now);
    expect(() => cancelTraining(cancelled, trainer, now)).toThrow(ConflictError);
  });

  it('hides drafts from everyone but those who run or oversee them', () => {
    const training = draft();
    expect(isVisibleTo(training, undefined)).toBe(false);
    expect(isVisibleTo(training, otherTrainer)).toBe(false);
    expect(isVisibleTo(training, astanaCoordinator)).toBe(false);
    expect(isVisibleTo(training, trainer)).toBe(true);
    expect(isVisibleTo(training, almatyCoordinator)).toBe(true);
    expect(isVisibleTo(publishTraining(training, trainer, now), undefined)).toBe(true);
  });
});
