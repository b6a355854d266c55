/**
 * Renewal before expiry: which reminder a certificate is due, and whether a later certificate of
 * the same level already renews it. Pure functions; the clock comes in as an argument.
 */
import { DAY_MS } from '../clock';
import { cascadeMaxDepth, type HeldCertificate } from './cascade';
import { certificateStatus } from './certificate';


/** Days before `validUntil` at which the holder is told, earliest first. */
export const renewalKinds = [
  { kind: 'renewal-90', daysBefore: 90 },
  { kind: 'renewal-30', daysBefore: 30 },
] as const;
export type RenewalKind = (typeof renewalKinds)[number]['kind'];

/** How far ahead the coordinator's list of expiring qualifications looks by default. */
export const EXPIRING_LIST_DAYS = 180;

/**
 * The reminder that is current: the latest threshold passed and not yet superseded. A job that
 * was down catches up with that one only, so nobody gets "90 days left" with 20 days left.
 */
export function dueRenewal(validUntil: string, now: Date): RenewalKind | undefined {
  const expiresAt = Date.parse(validUntil);
  if (now.getTime() >= expiresAt) return undefined;
  let due: RenewalKind | undefined;
  for (const { kind, daysBefore } of renewalKinds) {
    if (now.getTime() >= expiresAt - daysBefore * DAY_MS) due = kind;
  }
  return due;
}

/** The validUntil range the job reads at `now`: anything still valid that the first threshold reached. */
export function renewalSearchRange(now: Date): { from: string; to: string } {
  return { from: now.toISOString(), to: new Date(now.getTime() + renewalKinds[0].daysBefore * DAY_MS).toISOString() };
}

export function expiringRange(now: Date, days: number): { from: string; to: string } {
  return { from: now.toISOString(), to: new Date(now.getTime() + days * DAY_MS).toISOString() };
}

/** The UTC months from `from` to `to`, inclusive (YYYY-MM): the partitions of certificateKeys.expiring a range needs. */
export function monthsCovering(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** The claim of one reminder: once per certificate and threshold, whatever the number of ticks. */
export function renewalKey(kind: RenewalKind, certificateId: string): string {
  return `${kind}#${certificateId}`;
}

/** The level a certificate lets its holder deliver, if the programme's cascade goes that deep. */
export function nextLevelOf(level: number, maxDepth = cascadeMaxDepth): number | undefined {
  return level < maxDepth ? level + 1 : undefined;
}

/**
 * A certificate is renewed once its holder has a valid certificate of the same level that lasts
 * longer (a refresher, or the training taken again): reminding them would be noise, and it no
 * longer limits what they may publish.
 */
export function isRenewed(
  certificate: Pick<HeldCertificate, 'certificateId' | 'level' | 'validUntil'>,
  held: readonly HeldCertificate[],
  now: Date,
): boolean {
  return held.some(
    (other) =>
      other.certificateId !== certificate.certificateId &&
      other.level === certificate.level &&
      other.validUntil > certificate.validUntil &&
      certificateStatus(other, now) === 'valid',
  );
}

/** Whole days left until `validUntil` (rounded down; 0 on the last day). */
export function daysLeft(validUntil: string, now: Date): number {
  return Math.max(0, Math.floor((Date.parse(validUntil) - now.getTime()) / DAY_MS));
}

/**
 * The certificate a refresher renews: the holder's latest certificate of the training's level
 * that has not been revoked (an expired one may be renewed too, which is what refreshers are for).
 */
export function renewedBy(level: number, held: readonly HeldCertificate[], excludeId: string): HeldCertificate | undefined {
  return held
    .filter((other) => other.level === level && other.status !== 'revoked' && other.certificateId !== excludeId)
    .sort((a, b) => b.validUntil.localeCompare(a.validUntil))[0];
}
