import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal';
import { createStatusList, encodeStatusList, getStatus, decodeStatusList, setStatus } from '../../shared/certificates/status-list';
import {
  assertMayManage,
  historyOf,
  isStatusListId,
  reissue,
  revoke,
  STATUS_LIST_BITS,
  statusListLocation,
  type CertificateLifecycle,
} from '../../shared/domain/certificate-lifecycle';
import { ConflictError, ForbiddenError } from '../../shared/errors';
import { signedResponse } from '../../shared/http/signed-response';

const issued: CertificateLifecycle = {
  region: 'almaty',
  number: 'DESTT-2026-ALA-000123',
  holderName: 'Әлия Құрманғазиева',
  issuedAt: '2026-06-02T10:00:00.000Z',
  status: 'valid',
};
const at = new Date('2026-07-01T08:00:00.000Z');

function person(groups: Principal['groups'], region?: string): Principal {
  return { sub: `sub-${groups.join('-')}-${region ?? 'none'}`, email: 'p@test.kz', name: 'P', groups, ...(region ? { region } : {}) };
}

describe('status list location', () => {
  it('is read off the number: one list per region and year, the sequence as the index', () => {
    expect(statusListLocation('DESTT-2026-ALA-000123')).toEqual({ listId: 'ALA-2026', index: 123 });
    expect(statusListLocation('DESTT-2027-AST-999999')).toEqual({ listId: 'AST-2027', index: 999_999 });
    expect(() => statusListLocation('DESTT-2026-ala-000123')).toThrow(RangeError);
    expect(() => statusListLocation('ALA-2026-000123')).toThrow(RangeError);
  });

  it('fits every six-digit sequence into one list of at least the spec minimum', () => {
    const list = createStatusList(STATUS_LIST_BITS);
    setStatus(list, 999_999, true);
    expect(getStatus(decodeStatusList(encodeStatusList(list)), 999_999)).toBe(true);
    // Mostly zeros: the stored list stays small whatever its length.
    expect(encodeStatusList(list).length).toBeLessThan(2_000);
  });

  it('accepts only list ids of the form CODE-YEAR', () => {
    expect(isStatusListId('ALA-2026')).toBe(true);
    for (const bad of ['ala-2026', 'ALA-26', 'ALA-2026-0', '../x', '']) expect(isStatusListId(bad), bad).toBe(false);
  });
});

describe('who manages a certificate', () => {
  it('admins, and coordinators of its region only', () => {
    expect(() => assertMayManage(person(['admins']), issued)).not.toThrow();
    expect(() => assertMayManage(person(['coordinators'], 'almaty'), issued)).not.toThrow();
    expect(() => assertMayManage(person(['coordinators'], 'astana'), issued)).toThrow(ForbiddenError);
    expect(() => assertMayManage(person(['trainers']), issued)).toThrow(ForbiddenError);
    expect(() => assertMayManage(person(['teachers'], 'almaty'), issued)).toThrow(ForbiddenError);
  });
});

describe('revocation', () => {
  it('records the reason, the time and the revoker by sub', () => {
    expect(revoke(issued, { reason: 'Forged documents', by: 'sub-1', at })).toEqual({
      reason: 'Forged documents',
      revokedAt: '2026-07-01T08:00:00.000Z',
      revokedBy: 'sub-1',
    });
  });

  it('is final: revoking again is a conflict that says so and when', () => {
    const revoked: CertificateLifecycle = { ...issued, status: 'revoked', revocation: { reason: 'x', revokedAt: '2026-06-10T00:00:00.000Z', revokedBy: 's' } };
    try {
      revoke(revoked, { reason: 'again', by: 'sub-2', at });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).reason).toBe('already_revoked');
      expect((error as ConflictError).message).toContain('already revoked on 2026-06-10T00:00:00.000Z');
    }
  });
});

describe('reissue', () => {
  it('makes version 2 of a first-issue record, keeping version 1 in the history', () => {
    expect(historyOf(issued)).toEqual([{ version: 1, fullName: 'Әлия Құрманғазиева', issuedAt: issued.issuedAt }]);
    const next = reissue(issued, { fullName: 'Әлия Құрманғазықызы', reason: 'Typo in the patronymic', at });
    expect(next).toEqual({
      version: 2,
      holderName: 'Әлия Құрманғазықызы',
      history: [
        { version: 1, fullName: 'Әлия Құрманғазиева', issuedAt: issued.issuedAt },
        { version: 2, fullName: 'Әлия Құрманғазықызы', issuedAt: at.toISOString(), reason: 'Typo in the patronymic' },
      ],
    });
  });

  it('counts on from the stored version and keeps the name when none is given', () => {
    const second = { ...issued, ...reissue(issued, { fullName: 'Б', at }) };
    const third = reissue(second, { at: new Date('2026-08-01T00:00:00.000Z') });
    expect(third.version).toBe(3);
    expect(third.holderName).toBe('Б');
    expect(third.history.map((entry) => entry.version)).toEqual([1, 2, 3]);
    expect(third.history[2]).not.toHaveProperty('reason');
  });

  it('refuses a revoked certificate with the reason', () => {
    expect(() => reissue({ ...issued, status: 'revoked' }, { fullName: 'X', at })).toThrow(
      expect.objectContaining({ reason: 'certificate_revoked' }) as Error,
    );
  });
});

describe('signed responses', () => {
  const signed = { jwt: 'a.b.c', credential: { id: 'x' } };

  it('give the bare VC-JWT to clients that ask for application/vc+jwt', () => {
    const response = signedResponse(signed, { accept: 'application/json;q=0.5, application/vc+jwt' }, 'no-store');
    expect(response).toMatchObject({ status: 200, text: 'a.b.c', headers: { 'content-type': 'application/vc+jwt', vary: 'accept' } });
  });

  it('give JSON {jwt, credential} otherwise', () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/vc+jwt-not']) {
      const response = signedResponse(signed, accept === undefined ? {} : { accept }, 'no-store');
      expect(response.body, String(accept)).toEqual(signed);
    }
  });
});
