/**
 * The sweeper: finds work that should have happened and did not, and re-drives each piece through
 * the same idempotent step the stream runs. The stream does the work; the sweeper is the net
 * under it, for records that failed every retry (SES down for longer than the retries last), a
 * worker that crashed holding an email claim, or a lost record.
 *
 * It reads only the sparse sweep index (store/keys sweepKeys), one Query per kind, so its cost is
 * the open work, not the table. It only takes work older than `olderThanMs`, so the healthy
 * stream finishes first; and whatever it takes, it takes through steps that are safe to run twice
 * at once — conditional claims, deterministic ids, guarded marks — so two sweeps at once, or a
 * sweep beside the stream, never send or issue twice.
 */
import { clock } from '../clock';
import { errorName, logger } from '../observability/logger';
import { EmailInFlightError } from '../mail/send-once';
import { reissueTaskFromItem } from '../store/certificate-lifecycle';
import { certificateResendFromItem } from '../store/certificates';
import { abandonEmailClaim, openEmailClaimFromItem, type OpenEmailClaim } from '../store/email-claims';
import { issuanceTaskFromItem } from '../store/issuance';
import { sweepKinds, type SweepKind } from '../store/keys';
import { clearSeatMark, findRegistration } from '../store/registrations';
import { findDueWork } from '../store/sweep';
import { findTraining } from '../store/trainings';
import { processCertificateResend, processIssuanceTask } from './issuance';
import { processReissueTask } from './reissue';
import {
  fillFreeSeats,
  registrationEmails,
  sendRegistrationEmail,
  sendTrainingPublishedEmail,
  trainingPublishedKind,
  type RegistrationEmailKind,
} from './workflow';

export interface SweepOptions {
  /** Work younger than this is the stream's (default 5 minutes). */
  olderThanMs: number;
  /** At most this many items of each kind per run; the rest is the next run's. */
  limitPerKind: number;
  /** Items re-driven at once. */
  concurrency: number;
}

export interface SweepReport {
  /** Stuck items found, by kind. */
  found: Record<SweepKind, number>;
  /** Re-driven to the end. */
  redriven: number;
  /** Held by another worker (an email claim in its lease): the next run looks again. */
  busy: number;
  failed: number;
  /** Items read from the index: the run's cost. */
  itemsRead: number;
  /** More was due than one run takes. */
  more: boolean;
  /** Error names of the failures (never a message: it may hold an address). */
  errorNames: string[];
}

export const defaultSweepOptions: SweepOptions = { olderThanMs: 5 * 60_000, limitPerKind: 500, concurrency: 8 };

function isRegistrationEmailKind(kind: string): kind is RegistrationEmailKind {
  return Object.hasOwn(registrationEmails, kind);
}

/**
 * An email whose send never finished, sent now if it is still true: the registration is still
 * the same one and in the state the email is about. One that no longer applies (the person
 * withdrew before hearing they were confirmed) is taken off the list, unsent.
 */
async function redriveEmail(claim: OpenEmailClaim): Promise<void> {
  const separator = claim.dedupeKey.indexOf('#');
  const kind = claim.dedupeKey.slice(0, separator);
  const subject = claim.dedupeKey.slice(separator + 1);
  const stored = await findTraining(claim.redrive.trainingId);
  if (!stored) return abandonEmailClaim(claim.dedupeKey);
  const { training } = stored;
  if (kind === trainingPublishedKind) {
    if (training.status !== 'published') return abandonEmailClaim(claim.dedupeKey);
    await sendTrainingPublishedEmail(training);
    return;
  }
  if (!isRegistrationEmailKind(kind) || claim.redrive.email === undefined) return abandonEmailClaim(claim.dedupeKey);
  const registration = await findRegistration(training.id, claim.redrive.email);
  if (!registration || registration.registrationId !== subject || !registrationEmails[kind].stillTrue(registration)) {
    return abandonEmailClaim(claim.dedupeKey);
  }
  await sendRegistrationEmail(kind, training, registration);
}

async function redriveSeats(item: Record<string, unknown>): Promise<void> {
  const trainingId = String(item.trainingId);
  const stored = await findTraining(trainingId);
  if (stored) await fillFreeSeats(stored.training);
  await clearSeatMark(trainingId, Number(item.sweepMarks ?? 0));
}

const redrive: Record<SweepKind, (item: Record<string, unknown>) => Promise<unknown>> = {
  issuance: (item) => processIssuanceTask(issuanceTaskFromItem(item)),
  reissue: (item) => processReissueTask(reissueTaskFromItem(item)),
  resend: (item) => processCertificateResend(certificateResendFromItem(item)),
  email: (item) => redriveEmail(openEmailClaimFromItem(item)),
  seats: redriveSeats,
  // Loaded only when a ZIP is stuck: its manifest needs the CSV writer.
  zip: async (item) => (await import('./certificates-zip-build')).buildCertificatesZip(String(item.trainingId), String(item.digest)),
};

async function inPool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function sweep(options: Partial<SweepOptions> = {}): Promise<SweepReport> {
  const { olderThanMs, limitPerKind, concurrency } = { ...defaultSweepOptions, ...options };
  const cutoff = new Date(clock.nowMs() - olderThanMs).toISOString();
  const report: SweepReport = {
    found: { issuance: 0, reissue: 0, resend: 0, email: 0, seats: 0, zip: 0 },
    redriven: 0,
    busy: 0,
    failed: 0,
    itemsRead: 0,
    more: false,
    errorNames: [],
  };
  const due = await Promise.all(sweepKinds.map(async (kind) => ({ kind, ...(await findDueWork(kind, cutoff, limitPerKind)) })));
  const work = due.flatMap(({ kind, items, itemsRead, more }) => {
    report.found[kind] = items.length;
    report.itemsRead += itemsRead;
    report.more ||= more;
    return items.map((item) => ({ kind, item }));
  });
  await inPool(work, concurrency, async ({ kind, item }) => {
    try {
      await redrive[kind](item);
      report.redriven++;
    } catch (error) {
      if (error instanceof EmailInFlightError) {
        report.busy++;
        return;
      }
      report.failed++;
      const name = errorName(error);
      if (!report.errorNames.includes(name)) report.errorNames.push(name);
      logger.warn('Sweep could not re-drive an item', { kind, errorName: name });
    }
  });
  return report;
}
