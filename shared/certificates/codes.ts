import { createHash, randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const VERIFICATION_CODE_LENGTH = 10;

/** 10 characters of 5 random bits each (50 bits): short enough to type, too many to guess. */
export function newVerificationCode(): string {
  const bytes = randomBytes(VERIFICATION_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code;
}

/** What a person typed, as stored: upper case, without spaces or dashes, O→0 and I/L→1. */
export function normalizeVerificationCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function isVerificationCode(code: string): boolean {
  return code.length === VERIFICATION_CODE_LENGTH && [...code].every((character) => ALPHABET.includes(character));
}

/**
 * The certificate of one (training, registration): a deterministic id, so every worker, every
 * retry and every replayed record aims at the same item and at most one can ever exist.
 */
export function certificateIdFor(trainingId: string, registrationId: string): string {
  return createHash('sha256').update(`${trainingId}#${registrationId}`).digest().subarray(0, 15).toString('base64url');
}
