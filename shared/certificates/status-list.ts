/**
 * W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/) for certificate
 * revocation. Pure: no I/O beyond node:zlib; the issuance flow stores the encoded list and serves
 * it as a BitstringStatusListCredential.
 *
 * Spec points this module follows:
 * - the bitstring is at least 131,072 bits (16 KB) long, so one list hides which of many
 *   certificates a verifier is asking about (group privacy);
 * - bit 0 is the left-most bit of the bitstring: index i is byte `i >> 3`, mask `0x80 >> (i & 7)`
 *   (most significant bit first);
 * - `encodedList` is the GZIP-compressed bitstring, base64url-encoded without padding, with the
 *   Multibase prefix `u` (the base64url code), e.g. `uH4sIAAAAAAAA...`;
 * - status purpose here is `revocation` only: a set bit means revoked, and revocation is final.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** The spec's minimum bitstring length: 131,072 bits = 16 KB. */
export const MIN_STATUS_LIST_BITS = 131_072;

/** Refuse to inflate more than this, so a hostile `encodedList` cannot exhaust memory. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** Multibase prefix for base64url without padding. */
const MULTIBASE_BASE64URL = 'u';

/** A GZIP stream base64url-encoded starts with these characters (magic 1f 8b 08). */
const GZIP_BASE64URL_START = 'H4sI';

/** The uncompressed bitstring; bit 0 is the most significant bit of byte 0. */
export type StatusList = Uint8Array;

/** A new all-zero (nothing revoked) list. `bits` is rounded up to whole bytes. */
export function createStatusList(bits: number = MIN_STATUS_LIST_BITS): StatusList {
  if (!Number.isInteger(bits) || bits < MIN_STATUS_LIST_BITS) {
    throw new RangeError(`A status list needs at least ${MIN_STATUS_LIST_BITS} bits, got ${bits}.`);
  }
  return new Uint8Array(Math.ceil(bits / 8));
}

function checkIndex(list: StatusList, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.length * 8) {
    throw new RangeError(`Status list index ${index} is outside 0..${list.length * 8 - 1}.`);
  }
}

/** Sets (revoked = true) or clears the bit at `index`, in place. */
export function setStatus(list: StatusList, index: number, revoked: boolean): void {
  checkIndex(list, index);
  const byte = index >> 3;
  const mask = 0x80 >> (index & 7);
  list[byte] = revoked ? (list[byte] ?? 0) | mask : (list[byte] ?? 0) & ~mask;
}

/** Whether the bit at `index` of a decoded list is set. */
export function getStatus(list: StatusList, index: number): boolean {
  checkIndex(list, index);
  return ((list[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** GZIP, base64url (no padding), Multibase `u` prefix: the credential's `encodedList`. */
export function encodeStatusList(list: StatusList): string {
  if (list.length * 8 < MIN_STATUS_LIST_BITS) {
    throw new RangeError(`A status list needs at least ${MIN_STATUS_LIST_BITS} bits, got ${list.length * 8}.`);
  }
  return MULTIBASE_BASE64URL + gzipSync(list).toString('base64url');
}

/**
 * The bitstring of an `encodedList`. Also accepts the pre-Recommendation form without the
 * Multibase prefix (a bare base64url GZIP stream, which always starts with `H4sI`).
 */
export function decodeStatusList(encodedList: string): StatusList {
  let base64url: string;
  if (encodedList.startsWith(MULTIBASE_BASE64URL)) base64url = encodedList.slice(1);
  else if (encodedList.startsWith(GZIP_BASE64URL_START)) base64url = encodedList;
  else throw new Error('encodedList is not Multibase base64url (it must start with "u").');
  if (!/^[A-Za-z0-9_-]+$/.test(base64url)) throw new Error('encodedList is not base64url.');

  let bits: Buffer;
  try {
    bits = gunzipSync(Buffer.from(base64url, 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
  } catch (error) {
    throw new Error('encodedList is not a GZIP-compressed bitstring.', { cause: error });
  }
  if (bits.length * 8 < MIN_STATUS_LIST_BITS) {
    throw new Error(`Status list has ${bits.length * 8} bits, fewer than the minimum ${MIN_STATUS_LIST_BITS}.`);
  }
  return new Uint8Array(bits.buffer, bits.byteOffset, bits.length);
}

/** Whether the certificate at `index` is revoked according to an `encodedList`. */
export function isRevoked(encodedList: string, index: number): boolean {
  return getStatus(decodeStatusList(encodedList), index);
}

export interface BitstringStatusListCredential {
  '@context': ['https://www.w3.org/ns/credentials/v2'];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: 'revocation';
    encodedList: string;
  };
}

export interface StatusListCredentialInput {
  /** The URL the list is served at: every entry's `statusListCredential`. */
  id: string;
  /** The issuer's id (URL or DID); must be the issuer of the credentials the list covers. */
  issuer: string;
  encodedList: string;
  /** ISO-8601 instant. */
  validFrom: string;
  /** ISO-8601 instant; verifiers may cache the list until then. */
  validUntil?: string;
}

/** The unsigned status list credential (sign it like any other credential before serving it). */
export function buildStatusListCredential(input: StatusListCredentialInput): BitstringStatusListCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom,
    ...(input.validUntil === undefined ? {} : { validUntil: input.validUntil }),
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: input.encodedList,
    },
  };
}
