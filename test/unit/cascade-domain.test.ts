import { describe, expect, it } from 'vitest';
import {
  assertEligible,
  assertLevelAllowed,
  maxDepthFrom,
  publishEligibility,
  withLineage,
  type EligibilityInput,
  type HeldCertificate,
} from '../../shared/domain/cascade';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors';

const now = new Date('2026-11-23T06:00:00Z');

function certificate(overrides: Partial<HeldCertificate> = {}): HeldCertificate {
  return {
    certificateId: 'cert-1',
    trainingId: 'national-1',
    number: 'DESTT-2025-AST-000001',
    level: 0,
    status: 'valid',
    issuedAt: '2025-03-01T10:00:00.000Z',
    validUntil: '2030-03-01T10:00:00.000Z',
    cascadeRootId: 'national-1',
    ...overrides,
  };
}

function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    level: 1,
    trainingId: 'training-1',
    publisherIsAdmin: false,
    trainerIsNationalTrainer: false,
    trainerCertificates: [],
    now,
    ...overrides,
  };
}

describe('level-0 (national) trainings', () => {
  it('are published by admins and designated national trainers', () => {
    expect(publishEligibility(input({ level: 0, publisherIsAdmin: true }))).toEqual({ eligible: true });
    expect(publishEligibility(input({ level: 0, trainerIsNationalTrainer: true }))).toEqual({ eligible: true });
  });

  it('are refused (403) to any other trainer, whatever certificates they hold', () => {
    const refusal = publishEligibility(input({ level: 0, trainerCertificates: [certificate()] }));
    expect(refusal).toMatchObject({ eligible: false, status: 403, reason: 'not_national_trainer' });
    expect(() => assertEligible(refusal)).toThrow(ForbiddenError);
  });
});

describe('level-N trainings need a valid certificate of level N − 1', () => {
  it('records the qualifying certificate, its training as the parent and the cascade root', () => {
    const result = publishEligibility(input({ trainerCertificates: [certificate()] }));
    expect(result).toEqual({
      eligible: true,
      qualification: {
        qualifyingCertificateId: 'cert-1',
        qualifyingCertificateNumber: 'DESTT-2025-AST-000001',
        qualifyingCertificateIssuedAt: '2025-03-01T10:00:00.000Z',
        parentTrainingId: 'national-1',
        cascadeRootId: 'national-1',
      },
    });
  });

  it('blocks an expired certificate, saying which and what is needed', () => {
    const expired = certificate({ validUntil: '2026-11-01T00:00:00.000Z' });
    const result = publishEligibility(input({ trainerCertificates: [expired] }));
    expect(result).toMatchObject({ eligible: false, status: 409, reason: 'qualifying_certificate_expired' });
    expect(() => assertEligible(result)).toThrow(/level-0 training.*DESTT-2025-AST-000001 expired on 2026-11-01/);
  });

  it('blocks a revoked certificate, even one that has not expired', () => {
    const result = publishEligibility(input({ trainerCertificates: [certificate({ status: 'revoked' })] }));
    expect(result).toMatchObject({ eligible: false, status: 409, reason: 'qualifying_certificate_revoked' });
    expect(() => assertEligible(result)).toThrow(ConflictError);
  });

  it('expires exactly at validUntil', () => {
    const atTheEnd = certificate({ validUntil: now.toISOString() });
    expect(publishEligibility(input({ trainerCertificates: [atTheEnd] }))).toMatchObject({ eligible: false });
  });

  it('ignores certificates of another level (a level-1 certificate does not qualify for level 1)', () => {
    const result = publishEligibility(input({ level: 1, trainerCertificates: [certificate({ level: 1 })] }));
    expect(result).toMatchObject({ eligible: false, reason: 'no_qualifying_certificate' });
    expect(publishEligibility(input({ level: 2, trainerCertificates: [certificate({ level: 1 })] }))).toMatchObject({ eligible: true });
  });

  it('neither admins nor national trainers skip the rule at level ≥ 1', () => {
    expect(publishEligibility(input({ publisherIsAdmin: true, trainerIsNationalTrainer: true }))).toMatchObject({
      eligible: false,
      reason: 'no_qualifying_certificate',
    });
  });

  it('of several valid certificates records the one valid longest, passing over revoked ones', () => {
    const result = publishEligibility(
      input({
        trainerCertificates: [
          certificate({ certificateId: 'old', validUntil: '2028-01-01T00:00:00.000Z' }),
          certificate({ certificateId: 'revoked', validUntil: '2031-01-01T00:00:00.000Z', status: 'revoked' }),
          certificate({ certificateId: 'new', validUntil: '2030-06-01T00:00:00.000Z' }),
        ],
      }),
    );
    expect(result).toMatchObject({ eligible: true, qualification: { qualifyingCertificateId: 'new' } });
  });
});

describe('lineage and depth', () => {
  it('makes a level-0 training its own cascade root and a level-N one carry its qualification', () => {
    expect(withLineage({ id: 'n', level: 0 }, undefined)).toEqual({ id: 'n', level: 0, cascadeRootId: 'n' });
    const qualification = {
      qualifyingCertificateId: 'c',
      qualifyingCertificateNumber: 'N',
      qualifyingCertificateIssuedAt: 'at',
      parentTrainingId: 'p',
      cascadeRootId: 'r',
    };
    expect(withLineage({ id: 't', level: 1 }, qualification)).toEqual({ id: 't', level: 1, ...qualification });
  });

  it('reads the maximum depth from configuration, 2 by default', () => {
    expect(maxDepthFrom(undefined)).toBe(2);
    expect(maxDepthFrom('1')).toBe(1);
    expect(() => maxDepthFrom('3')).toThrow(RangeError);
    expect(() => maxDepthFrom('x')).toThrow(RangeError);
    expect(() => assertLevelAllowed(2, 1)).toThrow(ValidationError);
    expect(() => assertLevelAllowed(1, 1)).not.toThrow();
  });
});

describe('no self-certification', () => {
  it('never counts a certificate from a training its holder ran as their qualification', () => {
    const selfIssued = certificate({ certificateId: 'self', trainerSub: 'trainer-sub' });
    const refused = publishEligibility(input({ trainerSub: 'trainer-sub', trainerCertificates: [selfIssued] }));
    expect(refused).toMatchObject({ eligible: false, reason: 'no_qualifying_certificate' });
    // Beside a certificate someone else trained them for, that one is recorded, even if the self-issued one is valid longer.
    const earned = certificate({ certificateId: 'earned', trainerSub: 'national-sub', validUntil: '2029-01-01T00:00:00.000Z' });
    const longer = { ...selfIssued, validUntil: '2031-01-01T00:00:00.000Z' };
    const eligible = publishEligibility(input({ trainerSub: 'trainer-sub', trainerCertificates: [longer, earned] }));
    expect(eligible).toMatchObject({ eligible: true, qualification: { qualifyingCertificateId: 'earned' } });
  });
});
