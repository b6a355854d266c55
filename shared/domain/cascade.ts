/**
 * Cascade rules: who may publish a training of which level. Pure functions, no I/O; the store
 * supplies the trainer's certificates and designation, the clock comes in as an argument.
 *
 * Level 0 trains the trainers (national), level N ≥ 1 is delivered by someone certified at level
 * N − 1. The same person (same email, same account) is a participant in one training and the
 * trainer of the next, so a trainer's certificates are found by their email.
 */
import { optionalEnv } from '../env';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import { certificateStatus, type CertificateRecordStatus } from './certificate';

/** The deepest level a cascade may have; the schema accepts 0–2, deployments may allow fewer. */
export const DEFAULT_MAX_DEPTH = 2;

export function maxDepthFrom(value: string | undefined): number {
  const parsed = value === undefined || value === '' ? DEFAULT_MAX_DEPTH : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > DEFAULT_MAX_DEPTH) {
    throw new RangeError(`CASCADE_MAX_DEPTH must be a whole number from 0 to ${DEFAULT_MAX_DEPTH}, not ${value}.`);
  }
  return parsed;
}

export const cascadeMaxDepth = maxDepthFrom(optionalEnv('CASCADE_MAX_DEPTH'));

export function assertLevelAllowed(level: number, maxDepth = cascadeMaxDepth): void {
  if (level > maxDepth) {
    throw new ValidationError(`This programme's cascade has levels 0 to ${maxDepth}. Choose one of them.`, {
      level: [`must be at most ${maxDepth}`],
    });
  }
}

/** What eligibility needs to know of one of the trainer's certificates. */
export interface HeldCertificate {
  certificateId: string;
  trainingId: string;
  number: string;
  level: number;
  status: CertificateRecordStatus;
  issuedAt: string;
  validUntil: string;
  /** The cascade the certificate belongs to (the national training at its root), if known. */
  cascadeRootId?: string;
  /** Who trained the holder: the holder themself means a self-issued certificate. */
  trainerSub?: string;
}

/** What a level-N (N ≥ 1) training records about the certificate that lets its trainer deliver it. */
export interface Qualification {
  qualifyingCertificateId: string;
  qualifyingCertificateNumber: string;
  qualifyingCertificateIssuedAt: string;
  parentTrainingId: string;
  cascadeRootId: string;
}

export type Eligibility =
  | { eligible: true; qualification?: Qualification }
  | { eligible: false; status: 403 | 409; reason: string; message: string };

export interface EligibilityInput {
  level: number;
  trainingId: string;
  /** The publisher is an administrator. */
  publisherIsAdmin: boolean;
  /** The training's trainer is designated a national trainer by an administrator. */
  trainerIsNationalTrainer: boolean;
  trainerCertificates: readonly HeldCertificate[];
  /** The training's trainer (the holder of `trainerCertificates`). */
  trainerSub?: string;
  now: Date;
}

/**
 * Level 0: an admin publishes, or a designated national trainer does. Level N ≥ 1: the trainer
 * holds a certificate of a level N − 1 training that is neither revoked nor expired; of several,
 * the one valid longest is recorded (it keeps the training's lineage meaningful the longest).
 */
export function publishEligibility(input: EligibilityInput): Eligibility {
  if (input.level === 0) {
    if (input.publisherIsAdmin || input.trainerIsNationalTrainer) {
      return { eligible: true };
    }
    return {
      eligible: false,
      status: 403,
      reason: 'not_national_trainer',
      message:
        'Level-0 (national) trainings are published by administrators or by trainers an administrator has designated as national trainers. Ask an administrator to designate you, or to publish it.',
    };
  }
  const needed = input.level - 1;
  // A certificate from a training the holder ran themself proves nothing about the holder.
  const ofLevel = input.trainerCertificates.filter(
    (certificate) => certificate.level === needed && (input.trainerSub === undefined || certificate.trainerSub !== input.trainerSub),
  );
  const valid = ofLevel
    .filter((certificate) => certificateStatus(certificate, input.now) === 'valid')
    .sort((a, b) => b.validUntil.localeCompare(a.validUntil));
  const best = valid[0];
  if (best) {
    return {
      eligible: true,
      qualification: {
        qualifyingCertificateId: best.certificateId,
        qualifyingCertificateNumber: best.number,
        qualifyingCertificateIssuedAt: best.issuedAt,
        parentTrainingId: best.trainingId,
        cascadeRootId: best.cascadeRootId ?? best.trainingId,
      },
    };
  }
  const revoked = ofLevel.find((certificate) => certificate.status === 'revoked');
  const expired = ofLevel.find((certificate) => certificateStatus(certificate, input.now) === 'expired');
  const need = `a valid certificate from a level-${needed} training`;
  if (expired || revoked) {
    const which = expired
      ? `certificate ${expired.number} expired on ${expired.validUntil.slice(0, 10)}`
      : `certificate ${revoked!.number} has been revoked`;
    return {
      eligible: false,
      status: 409,
      reason: expired ? 'qualifying_certificate_expired' : 'qualifying_certificate_revoked',
      message: `To publish a level-${input.level} training its trainer needs ${need}; the trainer's ${which}. Complete a level-${needed} training again, or choose another trainer.`,
    };
  }
  return {
    eligible: false,
    status: 409,
    reason: 'no_qualifying_certificate',
    message: `To publish a level-${input.level} training its trainer needs ${need}, and holds none. Complete a level-${needed} training first, or choose another trainer.`,
  };
}

/** Throws the refusal as the domain error the HTTP layer maps to 403 or 409. */
export function assertEligible(eligibility: Eligibility): Qualification | undefined {
  if (eligibility.eligible) return eligibility.qualification;
  if (eligibility.status === 403) throw new ForbiddenError(eligibility.message);
  throw new ConflictError(eligibility.message, eligibility.reason);
}

/** The published training with its place in the cascade: a root at level 0, else its qualification. */
export function withLineage<T extends { id: string; level: number }>(training: T, qualification: Qualification | undefined): T {
  if (training.level === 0 || !qualification) return { ...training, cascadeRootId: training.id };
  return { ...training, ...qualification };
}
