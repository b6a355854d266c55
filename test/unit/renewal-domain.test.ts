import { describe, expect, it } from 'vitest';
import type { HeldCertificate } from '../../shared/domain/cascade';
import { daysLeft, dueRenewal, isRenewed, monthsCovering, nextLevelOf, renewalKey, renewedBy } from '../../shared/domain/renewal';


const DAY = 86_400_000;
const validUntil = '2031-06-15T09:00:00.000Z';
const at = (daysBefore: number) => new Date(Date.parse(validUntil) - daysBefore * DAY);

const held = (overrides: Partial<HeldCertificate>): HeldCertificate => ({
  certificateId: 'c1',
  trainingId: 't1',
  number: 'DESTT-2026-ALA-000001',
  level: 0,
  status: 'valid',
  issuedAt: '2026-06-15T09:00:00.000Z',
  validUntil,
  ...overrides,
});

describe('which renewal reminder is due', () => {
  it('nothing before 90 days, the 90-day one until 30 days, then the 30-day one until expiry', () => {
    expect(dueRenewal(validUntil, at(91))).toBeUndefined();
    expect(dueRenewal(validUntil, new Date(at(90).getTime() - 1))).toBeUndefined();
    expect(dueRenewal(validUntil, at(90))).toBe('renewal-90');
    expect(dueRenewal(validUntil, at(31))).toBe('renewal-90');
    expect(dueRenewal(validUntil, at(30))).toBe('renewal-30');
    expect(dueRenewal(validUntil, at(0.001))).toBe('renewal-30');
    expect(dueRenewal(validUntil, at(0))).toBeUndefined();
    expect(dueRenewal(validUntil, at(-5))).toBeUndefined();
  });

  it('a job that was down catches up with the current reminder only', () => {
    expect(dueRenewal(validUntil, at(20))).toBe('renewal-30');
  });

  it('claims one email per threshold and certificate', () => {
    expect(renewalKey('renewal-90', 'c1')).not.toBe(renewalKey('renewal-30', 'c1'));
    expect(renewalKey('renewal-90', 'c1')).not.toBe(renewalKey('renewal-90', 'c2'));
  });

  it('counts whole days left', () => {
    expect(daysLeft(validUntil, at(90))).toBe(90);
    expect(daysLeft(validUntil, at(29.5))).toBe(29);
    expect(daysLeft(validUntil, at(-1))).toBe(0);
  });
});

describe('renewal by a later certificate', () => {
  const original = held({});
  it('a longer-lasting valid certificate of the same level renews it', () => {
    const refresher = held({ certificateId: 'c2', validUntil: '2036-05-01T00:00:00.000Z' });
    expect(isRenewed(original, [original, refresher], at(60))).toBe(true);
  });
  it('another level, a revoked one, or one that ends sooner does not', () => {
    const now = at(60);
    expect(isRenewed(original, [original, held({ certificateId: 'c2', level: 1, validUntil: '2036-01-01T00:00:00.000Z' })], now)).toBe(false);
    expect(isRenewed(original, [held({ certificateId: 'c2', status: 'revoked', validUntil: '2036-01-01T00:00:00.000Z' })], now)).toBe(false);
    expect(isRenewed(original, [held({ certificateId: 'c2', validUntil: '2031-01-01T00:00:00.000Z' })], now)).toBe(false);
    expect(isRenewed(original, [original], now)).toBe(false);
  });
  it('a refresher renews the latest unrevoked certificate of its level, never itself', () => {
    const older = held({ certificateId: 'old', validUntil: '2029-01-01T00:00:00.000Z' });
    const revoked = held({ certificateId: 'rev', status: 'revoked', validUntil: '2032-01-01T00:00:00.000Z' });
    const self = held({ certificateId: 'self', validUntil: '2036-01-01T00:00:00.000Z' });
    expect(renewedBy(0, [older, revoked, original, self], 'self')?.certificateId).toBe('c1');
    expect(renewedBy(1, [older, original], 'self')).toBeUndefined();
  });
});

describe('the next level a certificate qualifies for', () => {
  it('is one deeper while the cascade goes that deep', () => {
    expect(nextLevelOf(0, 2)).toBe(1);
    expect(nextLevelOf(1, 2)).toBe(2);
    expect(nextLevelOf(2, 2)).toBeUndefined();
    expect(nextLevelOf(0, 0)).toBeUndefined();
  });
});

describe('the month partitions of an expiry range', () => {
  it('covers every month from the first to the last, across a year end', () => {
    expect(monthsCovering('2030-11-20T00:00:00.000Z', '2031-02-01T00:00:00.000Z')).toEqual(['2030-11', '2030-12', '2031-01', '2031-02']);
    expect(monthsCovering('2031-02-01T00:00:00.000Z', '2031-02-28T00:00:00.000Z')).toEqual(['2031-02']);
  });
});
