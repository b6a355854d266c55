/**
 * Certificates: numbering, validity and the decision a closed training's participant gets.
 * Pure functions, no I/O; the clock comes in as an argument.
 */
import type { Language } from '../locale/language';
import type { Completion } from './attendance';
import { almatyYear } from '../locale/almaty';

/** How long a certificate is valid after it is issued. */
export const CERTIFICATE_VALIDITY_YEARS = 5;

/** The issuing centre as printed on every certificate (config, not data: one national centre). */
export const CERTIFICATE_ISSUER: Readonly<Record<Language, string>> = {
  en: 'Teachers as Leaders national centre',
  kk: '«Көшбасшы мұғалім» ұлттық орталығы',
  ru: 'Национальный центр «Учитель-лидер»',
};

export type CertificateRecordStatus = 'valid' | 'revoked';
export type CertificateStatus = 'valid' | 'expired' | 'revoked';

const MAX_SEQUENCE = 999_999;

/** `DESTT-{year}-{region code}-{6-digit sequence}`, e.g. `DESTT-2026-ALA-000123`. */
export function certificateNumber(year: number, regionCode: string, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Certificate year ${year} is not a 4-digit year.`);
  if (!/^[A-Z]{3}$/.test(regionCode)) throw new RangeError(`Region code ${regionCode} is not three capital letters.`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`Certificate sequence ${sequence} is outside 1–${MAX_SEQUENCE} for ${regionCode} in ${year}.`);
  }
  return `DESTT-${year}-${regionCode}-${String(sequence).padStart(6, '0')}`;
}

/** The year a certificate is numbered in: the issue date's year as read in Kazakhstan. */
export function numberingYear(issuedAt: string): number {
  return almatyYear(issuedAt);
}

/** The same instant `years` calendar years later (29 February becomes 1 March). */
export function validUntilFor(issuedAt: string, years = CERTIFICATE_VALIDITY_YEARS): string {
  const date = new Date(issuedAt);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString();
}

/** What a verifier is told: revoked wins over expired; valid until (exclusive) `validUntil`. */
export function certificateStatus(
  certificate: { status: CertificateRecordStatus; validUntil: string },
  now: Date,
): CertificateStatus {
  if (certificate.status === 'revoked') return 'revoked';
  if (now.getTime() >= Date.parse(certificate.validUntil)) return 'expired';
  return 'valid';
}

export type IssuanceDecision =
  | { kind: 'issue' }
  | {
      kind: 'not-completed';
      attendedHours: number;
      requiredHours: number;
      hoursMet: boolean;
      /** Feedback is required and missing: the email says how to give it. */
      feedbackMissing: boolean;
    };

/** A completer gets a certificate; anyone else is told what is missing. */
export function issuanceDecision(result: Completion, completionThreshold: number): IssuanceDecision {
  if (result.completed) return { kind: 'issue' };
  return {
    kind: 'not-completed',
    attendedHours: Math.round(result.attendedHours * 100) / 100,
    requiredHours: Math.round(result.plannedHours * completionThreshold * 100) / 100,
    hoursMet: result.hoursMet,
    feedbackMissing: !result.feedbackMet,
  };
}
