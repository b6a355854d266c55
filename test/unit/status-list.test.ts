/**
 * W3C Bitstring Status List: bit order (index 0 = left-most bit of the first byte), the 16 KB
 * minimum, and the `u`-prefixed base64url GZIP encoding, checked by decoding independently.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MIN_STATUS_LIST_BITS,
  buildStatusListCredential,
  createStatusList,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  isRevoked,
  setStatus,
} from '../../shared/certificates/status-list';

const LAST = MIN_STATUS_LIST_BITS - 1;
const MIDDLE = 65_537;

/** Decodes an encodedList with nothing from the module under test. */
function rawBits(encodedList: string): Buffer {
  expect(encodedList.startsWith('u')).toBe(true);
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}

describe('status list bits', () => {
  it('a new list is 131,072 bits (16 KB) of zeros', () => {
    const list = createStatusList();
    expect(list.length).toBe(16_384);
    expect(list.every((byte) => byte === 0)).toBe(true);
    expect(() => createStatusList(MIN_STATUS_LIST_BITS - 1)).toThrow(RangeError);
  });

  it('index 0 is the most significant bit of the first byte', () => {
    const list = createStatusList();
    setStatus(list, 0, true);
    expect(list[0]).toBe(0x80);
    expect(getStatus(list, 0)).toBe(true);
    expect(getStatus(list, 1)).toBe(false);
  });

  it('index 131,071 is the least significant bit of the last byte', () => {
    const list = createStatusList();
    setStatus(list, LAST, true);
    expect(list[list.length - 1]).toBe(0x01);
    expect(getStatus(list, LAST)).toBe(true);
    expect(getStatus(list, LAST - 1)).toBe(false);
  });

  it('a middle bit lands in its byte and leaves its neighbours alone', () => {
    const list = createStatusList();
    setStatus(list, MIDDLE, true); // byte 8192, bit 1 from the left
    expect(list[8192]).toBe(0x40);
    expect(list.filter((byte) => byte !== 0)).toHaveLength(1);
    setStatus(list, MIDDLE - 1, true);
    setStatus(list, MIDDLE + 1, true);
    setStatus(list, MIDDLE, false);
    expect(list[8192]).toBe(0xa0);
    expect([MIDDLE - 1, MIDDLE, MIDDLE + 1].map((index) => getStatus(list, index))).toEqual([true, false, true]);
  });

  it('refuses indexes outside the list', () => {
    const list = createStatusList();
    for (const index of [-1, MIN_STATUS_LIST_BITS, 1.5, Number.NaN]) {
      expect(() => setStatus(list, index, true)).toThrow(RangeError);
      expect(() => getStatus(list, index)).toThrow(RangeError);
    }
  });
});

describe('encodedList', () => {
  it('is u + base64url (no padding) of a GZIP stream of exactly the minimum length', () => {
    const encoded = encodeStatusList(createStatusList());
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/);
    const bits = rawBits(encoded);
    expect(bits.length * 8).toBe(MIN_STATUS_LIST_BITS);
    expect(bits.every((byte) => byte === 0)).toBe(true);
    // An all-zero 16 KB list compresses to a few dozen bytes: cheap to serve and cache.
    expect(encoded.length).toBeLessThan(100);
  });

  it('round-trips bits 0, 131,071 and a middle bit', () => {
    const list = createStatusList();
    for (const index of [0, MIDDLE, LAST]) setStatus(list, index, true);
    const encoded = encodeStatusList(list);

    const independent = rawBits(encoded);
    expect(independent[0]).toBe(0x80);
    expect(independent[8192]).toBe(0x40);
    expect(independent[16_383]).toBe(0x01);

    expect(decodeStatusList(encoded)).toEqual(list);
    for (const index of [0, MIDDLE, LAST]) expect(isRevoked(encoded, index)).toBe(true);
    for (const index of [1, MIDDLE - 1, MIDDLE + 1, LAST - 1, 4242]) expect(isRevoked(encoded, index)).toBe(false);
  });

  it('revocation can be undone before publication (clear the bit again)', () => {
    const list = decodeStatusList(encodeStatusList(createStatusList()));
    setStatus(list, 77, true);
    const revoked = encodeStatusList(list);
    setStatus(list, 77, false);
    expect(isRevoked(revoked, 77)).toBe(true);
    expect(isRevoked(encodeStatusList(list), 77)).toBe(false);
  });

  it('reads a list encoded elsewhere, with or without the Multibase prefix', () => {
    const bits = Buffer.alloc(16_384);
    bits[1] = 0b0001_0000; // index 11
    const base64url = gzipSync(bits, { level: 1 }).toString('base64url');
    expect(isRevoked(`u${base64url}`, 11)).toBe(true);
    expect(isRevoked(base64url, 11)).toBe(true);
    expect(isRevoked(`u${base64url}`, 10)).toBe(false);
  });

  it('rejects what is not a status list', () => {
    expect(() => decodeStatusList('zH4sI')).toThrow(/Multibase/);
    expect(() => decodeStatusList('uH4sI+/=')).toThrow(/base64url/);
    expect(() => decodeStatusList(`u${Buffer.from('not gzip').toString('base64url')}`)).toThrow(/GZIP/);
    const short = `u${gzipSync(Buffer.alloc(1024)).toString('base64url')}`;
    expect(() => decodeStatusList(short)).toThrow(/fewer than the minimum/);
    expect(() => encodeStatusList(new Uint8Array(1024))).toThrow(RangeError);
    expect(() => isRevoked(encodeStatusList(createStatusList()), MIN_STATUS_LIST_BITS)).toThrow(RangeError);
  });
});

describe('buildStatusListCredential', () => {
  it('is a VC 2.0 BitstringStatusListCredential for revocation', () => {
    const encodedList = encodeStatusList(createStatusList());
    const credential = buildStatusListCredential({
      id: 'https://cert.example.kz/api/status/1',
      issuer: 'https://cert.example.kz/issuer',
      encodedList,
      validFrom: '2026-05-01T00:00:00Z',
    });
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: 'https://cert.example.kz/api/status/1',
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: 'https://cert.example.kz/issuer',
      validFrom: '2026-05-01T00:00:00Z',
      credentialSubject: {
        id: 'https://cert.example.kz/api/status/1#list',
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList,
      },
    });
    const cached = buildStatusListCredential({
      id: 'https://x/1',
      issuer: 'https://x',
      encodedList,
      validFrom: '2026-05-01T00:00:00Z',
      validUntil: '2026-05-02T00:00:00Z',
    });
    expect(cached.validUntil).toBe('2026-05-02T00:00:00Z');
  });
});
