import { describe, expect, it } from 'vitest';
import { certificateIdFor, isVerificationCode, newVerificationCode, normalizeVerificationCode } from '../../shared/certificates/codes';
import { completion } from '../../shared/domain/attendance';
import {
  certificateNumber,
  certificateStatus,
  issuanceDecision,
  numberingYear,
  validUntilFor,
} from '../../shared/domain/certificate';
import { closeTraining } from '../../shared/domain/training';
import { ConflictError, ForbiddenError } from '../../shared/errors';
import type { Principal } from '../../shared/auth/principal';
import type { Training } from '../../shared/schemas/training';

describe('certificate numbers', () => {
  it('are DESTT-{year}-{region code}-{6-digit sequence}', () => {
    expect(certificateNumber(2026, 'ALA', 1)).toBe('DESTT-2026-ALA-000001');
    expect(certificateNumber(2027, 'AST', 123_456)).toBe('DESTT-2027-AST-123456');
    expect(certificateNumber(2026, 'ALA', 999_999)).toMatch(/^DESTT-\d{4}-[A-Z]{3}-\d{6}$/);
  });

  it('refuse a sequence that does not fit six digits, a bad region code or year', () => {
    expect(() => certificateNumber(2026, 'ALA', 0)).toThrow(RangeError);
    expect(() => certificateNumber(2026, 'ALA', 1_000_000)).toThrow(RangeError);
    expect(() => certificateNumber(2026, 'ala', 1)).toThrow(RangeError);
    expect(() => certificateNumber(26, 'ALA', 1)).toThrow(RangeError);
  });

  it('take the year as read in Almaty (UTC+5): New Year comes five hours earlier there', () => {
    expect(numberingYear('2026-12-31T18:30:00.000Z')).toBe(2026);
    expect(numberingYear('2026-12-31T19:30:00.000Z')).toBe(2027);
  });
});

describe('verification codes and ids', () => {
  it('are 10 unambiguous base32 characters, different every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, newVerificationCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(isVerificationCode(code)).toBe(true);
    expect(normalizeVerificationCode('abcd-efgh io')).toBe('ABCDEFGH10');
    expect(isVerificationCode('ABCDEFGHIJ')).toBe(false);
  });

  it('give one certificate id per (training, registration)', () => {
    expect(certificateIdFor('t1', 'r1')).toBe(certificateIdFor('t1', 'r1'));
    expect(certificateIdFor('t1', 'r1')).not.toBe(certificateIdFor('t1', 'r2'));
    expect(certificateIdFor('t1', 'r1')).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });
});

describe('validity', () => {
  const issuedAt = '2026-06-01T10:00:00.000Z';
  const validUntil = validUntilFor(issuedAt);

  it('lasts five calendar years', () => {
    expect(validUntil).toBe('2031-06-01T10:00:00.000Z');
  });

  it('is valid until validUntil, expired from then on, and revoked whatever the date', () => {
    expect(certificateStatus({ status: 'valid', validUntil }, new Date('2031-06-01T09:59:59.999Z'))).toBe('valid');
    expect(certificateStatus({ status: 'valid', validUntil }, new Date('2031-06-01T10:00:00.000Z'))).toBe('expired');
    expect(certificateStatus({ status: 'revoked', validUntil }, new Date('2027-01-01T00:00:00Z'))).toBe('revoked');
    expect(certificateStatus({ status: 'revoked', validUntil }, new Date('2040-01-01T00:00:00Z'))).toBe('revoked');
  });
});

describe('completion to issuance', () => {
  const sessions = [
    { id: 's1', startsAt: '2026-06-01T04:00:00.000Z', endsAt: '2026-06-01T09:00:00.000Z' },
    { id: 's2', startsAt: '2026-06-02T04:00:00.000Z', endsAt: '2026-06-02T09:00:00.000Z' },
    { id: 's3', startsAt: '2026-06-03T04:00:00.000Z', endsAt: '2026-06-03T09:00:00.000Z' },
  ];
  const training = { sessions, completionThreshold: 0.8, feedbackRequired: true };
  const all = sessions.map((session) => ({ sessionId: session.id, status: 'present' as const }));
  const decide = (attendance: typeof all | { sessionId: string; status: 'present' | 'late'; minutes?: number }[], feedbackSubmitted: boolean) =>
    issuanceDecision(completion({ training, attendance, feedbackSubmitted }), training.completionThreshold);

  it('issues to a completer: enough hours and feedback in', () => {
    expect(decide(all, true)).toEqual({ kind: 'issue' });
    // 12 of 15 hours is exactly 80 %.
    expect(decide([...all.slice(0, 2), { sessionId: 's3', status: 'late', minutes: 120 }], true)).toEqual({ kind: 'issue' });
  });

  it('explains hours short of the threshold, and missing feedback', () => {
    expect(decide(all.slice(0, 2), true)).toEqual({
      kind: 'not-completed',
      attendedHours: 10,
      requiredHours: 12,
      hoursMet: false,
      feedbackMissing: false,
    });
    expect(decide(all, false)).toEqual({ kind: 'not-completed', attendedHours: 15, requiredHours: 12, hoursMet: true, feedbackMissing: true });
  });

  it('needs no feedback when the training does not ask for it', () => {
    const result = completion({ training: { ...training, feedbackRequired: false }, attendance: all, feedbackSubmitted: false });
    expect(issuanceDecision(result, 0.8)).toEqual({ kind: 'issue' });
  });
});

describe('closing a training', () => {
  const trainer: Principal = { sub: 'trainer-1', email: 't@x.kz', name: 'T', groups: ['trainers'] };
  const other: Principal = { sub: 'trainer-2', email: 'o@x.kz', name: 'O', groups: ['trainers'] };
  const training = {
    id: 't1',
    status: 'published',
    trainer: { sub: 'trainer-1', name: 'T', email: 't@x.kz' },
    sessions: [{ id: 's1', startsAt: '2026-06-01T04:00:00.000Z', endsAt: '2026-06-01T09:00:00.000Z' }],
  } as Training;

  it('is allowed to its trainer once the last session has ended, and says when otherwise', () => {
    const early = (() => {
      try {
        closeTraining(training, trainer, new Date('2026-06-01T08:59:00.000Z'));
      } catch (error) {
        return error;
      }
    })() as ConflictError;
    expect(early).toBeInstanceOf(ConflictError);
    expect(early.reason).toBe('sessions_not_over');
    expect(early.details).toEqual({ closableFrom: '2026-06-01T09:00:00.000Z' });
    const closed = closeTraining(training, trainer, new Date('2026-06-01T09:00:00.000Z'));
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-06-01T09:00:00.000Z' });
    expect(() => closeTraining(closed, trainer, new Date('2026-06-02T00:00:00Z'))).toThrow(/already closed/);
    expect(() => closeTraining(training, other, new Date('2026-06-02T00:00:00Z'))).toThrow(ForbiddenError);
  });
});
