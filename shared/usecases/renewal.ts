/**
 * Renewal before expiry: the scheduled reminders (90 and 30 days before a certificate expires)
 * and the coordinator's list of qualifications about to lapse.
 *
 * Exactly once per (threshold, certificate): each email goes through sendEmailOnce with a
 * deterministic key, so a second tick, a retry or two runs at once send nothing twice. The job
 * reads the certificates expiring in the next 90 days by region and month (gsi2), never a Scan.
 */
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import { clock } from '../clock';
import { findRegion, regions as allRegions } from '../config/regions';
import { cascadeMaxDepth } from '../domain/cascade';
import {
  daysLeft,
  dueRenewal,
  EXPIRING_LIST_DAYS,
  expiringRange,
  isRenewed,
  nextLevelOf,
  renewalKey,
  renewalKinds,
  renewalSearchRange,
  type RenewalKind,
} from '../domain/renewal';
import { ForbiddenError, ValidationError } from '../errors';
import { renewalReminderEmail } from '../mail/renewal-emails';
import { sendEmailOnce } from '../mail/send-once';
import { tallySendFailure, type SendTally } from './send-tally';
import { certificatesHeldBy } from '../store/cascade';
import { alreadySentEmails } from '../store/email-claims';
import { certificatesExpiringBetween, type ExpiringCertificate } from '../store/renewal';
import { inParallel } from './in-parallel';

const SEND_CONCURRENCY = 8;

export interface RenewalRunResult extends SendTally {
  /** Certificates that had a reminder due (revoked and renewed ones left out). */
  due: number;
  sent: Record<RenewalKind, number>;
  /** Left out because a later certificate of the same level renews them. */
  renewed: number;
  stoppedEarly: boolean;
}

/** True when the holder already has a longer-lasting valid certificate of the same level. */
async function renewedAlready(certificate: ExpiringCertificate, now: Date): Promise<boolean> {
  return isRenewed(certificate, await certificatesHeldBy(certificate.holderEmail), now);
}

export async function sendDueRenewalReminders({ shouldStop = () => false }: { shouldStop?: () => boolean } = {}): Promise<RenewalRunResult> {
  const now = clock.now();
  const result: RenewalRunResult = {
    due: 0,
    sent: Object.fromEntries(renewalKinds.map(({ kind }) => [kind, 0])) as Record<RenewalKind, number>,
    renewed: 0,
    inFlight: 0,
    failed: 0,
    errorNames: [],
    stoppedEarly: false,
  };
  const range = renewalSearchRange(now);
  for (const region of allRegions) {
    if (shouldStop()) {
      result.stoppedEarly = true;
      return result;
    }
    const expiring = await certificatesExpiringBetween(region.id, range.from, range.to);
    const due = expiring
      // A revoked certificate is not renewed: its holder is not invited to.
      .filter((certificate) => certificate.status !== 'revoked')
      .flatMap((certificate) => {
        const kind = dueRenewal(certificate.validUntil, now);
        return kind ? [{ certificate, kind, key: renewalKey(kind, certificate.certificateId) }] : [];
      });
    // A cheap batch read of the claims spares a claim attempt per certificate at every tick.
    const sent = await alreadySentEmails(due.map((item) => item.key));
    const pending = due.filter((item) => !sent.has(item.key));
    await inParallel(pending, SEND_CONCURRENCY, async ({ certificate, kind, key }) => {
      try {
        if (await renewedAlready(certificate, now)) {
          result.renewed += 1;
          return;
        }
        result.due += 1;
        const outcome = await sendEmailOnce(key, () =>
          renewalReminderEmail(certificate, daysLeft(certificate.validUntil, now), nextLevelOf(certificate.level, cascadeMaxDepth)),
        );
        if (outcome === 'sent') result.sent[kind] += 1;
      } catch (error) {
        tallySendFailure(result, error);
      }
    });
  }
  return result;
}

export interface ExpiringQualificationsReport {
  region: string;
  days: number;
  items: {
    certificateId: string;
    number: string;
    holderName: string;
    holderEmail: string;
    level: number;
    /** The level this certificate lets its holder deliver, which lapses with it. */
    qualifiesForLevel: number;
    validUntil: string;
    daysLeft: number;
  }[];
}

/**
 * The region's multipliers whose qualifying certificate (one that lets its holder deliver the next
 * level) expires within `days`, soonest first; revoked certificates, and those already renewed by
 * a later certificate of the same level, are left out. Admins every region, coordinators their own.
 */
export async function expiringQualificationsReport(
  principal: Principal,
  query: { region?: string; days?: number },
): Promise<ExpiringQualificationsReport> {
  const region = query.region ?? (hasRole(principal, 'admins') ? undefined : principal.region);
  if (!region || !findRegion(region)) {
    throw new ValidationError('Choose the region whose expiring qualifications to list.', { 'query.region': ['is required'] });
  }
  if (!hasRole(principal, 'admins') && !coordinatesRegion(principal, region)) {
    throw new ForbiddenError('Coordinators see the reports of their own region only. Ask an administrator for other regions.');
  }
  const days = query.days ?? EXPIRING_LIST_DAYS;
  const now = clock.now();
  const range = expiringRange(now, days);
  const expiring = await certificatesExpiringBetween(region, range.from, range.to);
  const candidates = expiring.filter(
    (certificate) => certificate.status !== 'revoked' && nextLevelOf(certificate.level, cascadeMaxDepth) !== undefined,
  );
  const renewed = await Promise.all(candidates.map((certificate) => renewedAlready(certificate, now)));
  return {
    region,
    days,
    items: candidates
      .filter((_, index) => !renewed[index])
      .map((certificate) => ({
        certificateId: certificate.certificateId,
        number: certificate.number,
        holderName: certificate.holderName,
        holderEmail: certificate.holderEmail,
        level: certificate.level,
        qualifiesForLevel: nextLevelOf(certificate.level, cascadeMaxDepth)!,
        validUntil: certificate.validUntil,
        daysLeft: daysLeft(certificate.validUntil, now),
      })),
  };
}
