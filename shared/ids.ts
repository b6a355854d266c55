import { randomBytes } from 'node:crypto';

/** 72 random bits, URL-safe: short enough to read out, too many to guess. */
export function newId(): string {
  return randomBytes(9).toString('base64url');
}
