/**
 * Certificate issuance, run by the workflow consumer for each issuance work item (written when a
 * training is closed) and for feedback that arrives after the close. Exactly once per (training,
 * registration) under duplicate records, concurrent workers and a crash between any two steps:
 *
 * (a) claim: draw a number (atomic counter; the concurrent issuances of a worker draw a block
 *     together), then one transaction puts the certificate under its deterministic id
 *     (attribute_not_exists), its code lookup and its holder index. A loser, or a retry after a
 *     crash, finds the certificate and goes on with it; its number is simply unused (gaps, never
 *     duplicates). A crash between drawing and the Put only leaves a gap.
 * (b) the PDF, rendered from the stored record only, is put to S3; then one transaction stamps the
 *     record pdfStoredAt (only if its version is still the one rendered) and claims the email. A
 *     retry that finds the record unstamped first looks for a PDF an earlier attempt put before
 *     crashing, and reuses it: one PDF version per certificate.
 * (c) the email, with the PDF attached, is sent only after winning that claim.
 * (d) the work item is marked done (a MODIFY: never delivered to the consumer again) in the same
 *     transaction as the email's sent mark.
 * Every step reads what the previous ones left, so a repeat redoes nothing that was done. The work
 * item, registration, marks and certificate are read together, in one BatchGet.
 */
import { certificateIdFor, newVerificationCode } from '../certificates/codes';
import { clock } from '../clock';
import { findRegion } from '../config/regions';
import { completion } from '../domain/attendance';
import { isOwnTraining } from '../domain/registration';
import {
  CERTIFICATE_ISSUER,
  certificateNumber,
  issuanceDecision,
  numberingYear,
  validUntilFor,
  type IssuanceDecision,
} from '../domain/certificate';
import type { HeldCertificate } from '../domain/cascade';
import { renewedBy } from '../domain/renewal';
import { logger } from '../observability/logger';
import { certificatesHeldBy } from '../store/cascade';
import { certificateIssuedEmail, certificateNotEarnedEmail, certificateVerificationUrl } from '../mail/certificate-emails';
import { sendClaimedEmail, sendEmailOnce } from '../mail/send-once';
import type { Training } from '../schemas/training';
import { currentVersion } from '../domain/certificate-lifecycle';
import { faultPoint } from '../faults';
import {
  claimCertificate,
  findCertificate,
  drawCertificateSequences,
  findResend,
  markResendDone,
  pdfStoredPart,
  putCertificatePdf,
  readCertificatePdf,
  recordDelivery,
  type Certificate,
  type CertificateResend,
} from '../store/certificates';
import { AlongsideConditionFailed, claimEmail, type ClaimOutcome as EmailClaimOutcome } from '../store/email-claims';
import {
  attendanceOfRegistration,
  findIssuanceTask,
  issuanceTaskDonePart,
  markIssuanceTaskDone,
  readIssuanceInputs,
  type IssuanceTask,
} from '../store/issuance';
import type { TransactionPart } from '../store/transactions';
import type { AttendanceRecord } from '../schemas/attendance';
import { feedbackFactsFor } from '../store/feedback';
import { findRegistration, type StoredRegistration } from '../store/registrations';
import { findTraining } from '../store/trainings';

/**
 * The completion rule on the same data the attendance report uses: the marks (read here unless
 * the caller read them already) and the feedback flag.
 */
export async function decide(training: Training, registration: StoredRegistration, attendance?: AttendanceRecord[]): Promise<IssuanceDecision> {
  const marks = attendance ?? (await attendanceOfRegistration(training, registration.registrationId));
  const result = completion({ training, attendance: marks, feedbackSubmitted: await feedbackRequirementMet(training, registration) });
  return issuanceDecision(result, training.completionThreshold);
}

/**
 * Feedback counts for the person, not the registration: an answer given under an earlier
 * registration (withdrawn, then registered again) still counts, and an early close of the form
 * lifts the requirement for whoever had not answered. The extra read happens only when needed.
 */
async function feedbackRequirementMet(training: Training, registration: StoredRegistration): Promise<boolean> {
  if (registration.feedbackSubmittedAt || registration.feedbackWaivedAt) return true;
  if (!training.feedbackRequired) return false;
  const facts = await feedbackFactsFor(training.id, registration.email);
  return facts.answered || facts.closedEarly;
}

function draftCertificate(
  training: Training,
  registration: StoredRegistration,
  number: string,
  issuedAt: string,
  renews: HeldCertificate | undefined,
): Certificate {
  return {
    certificateId: certificateIdFor(training.id, registration.registrationId),
    trainingId: training.id,
    registrationId: registration.registrationId,
    number,
    verificationCode: newVerificationCode(),
    holderEmail: registration.email,
    holderName: registration.fullName,
    language: registration.preferredLanguage ?? training.language,
    trainingTitle: training.title,
    hours: training.hours,
    ...(training.ects !== undefined ? { ects: training.ects } : {}),
    sessionDates: training.sessions.map((session) => session.startsAt),
    trainerName: training.trainer.name,
    trainerSub: training.trainer.sub,
    region: training.region,
    issuer: { ...CERTIFICATE_ISSUER },
    issuedAt,
    validUntil: validUntilFor(issuedAt),
    level: training.level,
    trainerCertificateId: training.qualifyingCertificateId ?? '',
    trainerCertificateNumber: training.qualifyingCertificateNumber ?? '',
    ...(training.cascadeRootId ? { cascadeRootId: training.cascadeRootId } : {}),
    ...(renews ? { renewsCertificateId: renews.certificateId, renewsCertificateNumber: renews.number } : {}),
    status: 'valid',
  };
}

const CODE_ATTEMPTS = 5;

/** The certificate as the caller has just read it (`undefined`: not claimed yet), which saves a read. */
export interface KnownCertificate {
  certificate: Certificate | undefined;
}

interface Waiting {
  resolve: (sequence: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Certificate numbers for the issuances running at once in this process, drawn together: the
 * requests that arrive while a draw is on its way wait for the next one, which takes a block of
 * their size in one ADD. Every number of a block goes to one request, so drawing together adds no
 * gaps of its own (a request whose claim then loses leaves one, as before).
 */
class SequenceDraws {
  private readonly queues = new Map<string, Waiting[]>();

  next(regionCode: string, year: number): Promise<number> {
    const key = `${regionCode}#${year}`;
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ resolve, reject });
        return;
      }
      const started: Waiting[] = [{ resolve, reject }];
      this.queues.set(key, started);
      void this.drawWhileWaiting(key, regionCode, year, started);
    });
  }

  private async drawWhileWaiting(key: string, regionCode: string, year: number, queue: Waiting[]): Promise<void> {
    // Requests made in this turn of the event loop join the first draw.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const block = queue.splice(0);
      try {
        const last = await drawCertificateSequences(regionCode, year, block.length);
        block.forEach((request, index) => request.resolve(last - block.length + 1 + index));
      } catch (error) {
        for (const request of block) request.reject(error);
      }
    }
    this.queues.delete(key);
  }
}

const sequenceDraws = new SequenceDraws();

/**
 * Step (a): the certificate record, claimed once; whoever loses reads the winner's. `claimedNow`
 * says this call wrote it, so no earlier attempt can have put its PDF.
 */
async function claimOrFind(
  training: Training,
  registration: StoredRegistration,
  known?: KnownCertificate,
): Promise<{ certificate: Certificate; claimedNow: boolean }> {
  const certificateId = certificateIdFor(training.id, registration.registrationId);
  const existing = known ? known.certificate : await findCertificate(certificateId);
  if (existing) return { certificate: existing, claimedNow: false };

  const region = findRegion(training.region);
  if (!region) throw new Error(`Training ${training.id} has region ${training.region}, which is not in config/regions.json.`);
  const issuedAt = clock.now().toISOString();
  const year = numberingYear(issuedAt);
  const number = certificateNumber(year, region.code, await sequenceDraws.next(region.code, year));
  // A refresher's certificate is an ordinary one of its level (so it qualifies like the original)
  // that also names the certificate it renews: the lineage keeps both.
  const renews = training.renewsLevel
    ? renewedBy(training.level, await certificatesHeldBy(registration.email), certificateId)
    : undefined;
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    // A failed transaction wrote nothing, so the same number is kept for another code.
    const certificate = draftCertificate(training, registration, number, issuedAt, renews);
    const outcome = await claimCertificate(certificate);
    if (outcome === 'claimed') return { certificate, claimedNow: true };
    if (outcome === 'exists') {
      const winner = await findCertificate(certificateId);
      if (!winner) throw new Error(`Certificate ${certificateId} was claimed but cannot be read.`);
      return { certificate: winner, claimedNow: false };
    }
  }
  throw new Error(`No free verification code after ${CODE_ATTEMPTS} attempts.`);
}

/** The PDF of the certificate as its record stands now (the current version). */
export async function renderFor(certificate: Certificate): Promise<Buffer> {
  // pdfkit, fontkit and qrcode load when a PDF is rendered, not for every record the consumer sees.
  const { renderCertificatePdf } = await import('../certificates/render-pdf');
  return renderCertificatePdf({
    holderName: certificate.holderName,
    language: certificate.language,
    trainingTitle: certificate.trainingTitle,
    hours: certificate.hours,
    ...(certificate.ects !== undefined ? { ects: certificate.ects } : {}),
    sessionDates: certificate.sessionDates,
    number: certificate.number,
    verificationUrl: certificateVerificationUrl(certificate.verificationCode),
    trainerName: certificate.trainerName,
    issuerName: certificate.issuer[certificate.language],
    issuedAt: certificate.issuedAt,
    validUntil: certificate.validUntil,
    level: certificate.level,
  });
}

/** Records that SES accepted a resent certificate email (SES events then move it on). */
function recordSent(certificateId: string) {
  return (messageId: string) => recordDelivery(certificateId, { status: 'sent', at: clock.now().toISOString(), messageId });
}

/** The stored PDF when there is one, else a fresh render (a record stamped before its PDF was readable). */
async function storedOrRendered(certificate: Certificate): Promise<Buffer> {
  return (await readCertificatePdf(certificate.certificateId)) ?? renderFor(certificate);
}

const PUT_ATTEMPTS = 5;

/** After a put: the version is confirmed current (with what confirming it gave), or here is the record as it is now. */
export type PutConfirmation<T> = { confirmed: T } | { latest: Certificate };

/**
 * Puts the PDF of `certificate` and leaves the bucket's latest object at the record's current
 * version. A reissue committed while this PDF was rendered or uploaded may have put its own PDF
 * before this put landed; its commit precedes its put, so a check of the record after this put
 * (`confirm`: a read, or a write conditional on the version) sees it, and the current version is
 * rendered and put again. Returns the version and PDF that were put last, and the confirmation.
 */
export async function putUntilCurrent<T>(
  certificate: Certificate,
  pdf: Buffer,
  confirm: (put: Certificate) => Promise<PutConfirmation<T>>,
): Promise<{ certificate: Certificate; pdf: Buffer; confirmed: T }> {
  let current = { certificate, pdf };
  for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
    await putCertificatePdf(current.certificate.certificateId, current.pdf, currentVersion(current.certificate));
    const outcome = await confirm(current.certificate);
    if ('confirmed' in outcome) return { ...current, confirmed: outcome.confirmed };
    current = { certificate: outcome.latest, pdf: await renderFor(outcome.latest) };
  }
  throw new Error(`Certificate ${certificate.certificateId} kept changing version while its PDF was stored; the retry will finish it.`);
}

/** putUntilCurrent confirmed by reading the record again. */
export function putCurrentPdf(certificate: Certificate, pdf: Buffer): Promise<{ certificate: Certificate; pdf: Buffer }> {
  return putUntilCurrent(certificate, pdf, async (put): Promise<PutConfirmation<undefined>> => {
    const latest = await findCertificate(put.certificateId);
    return !latest || currentVersion(latest) === currentVersion(put) ? { confirmed: undefined } : { latest };
  });
}

const issuedEmailKey = (certificateId: string) => `certificate-issued#${certificateId}`;

/**
 * Claims the certificate email and stamps pdfStoredAt in one transaction (the stamp conditional
 * on `version`, the one whose PDF was just put, when given): a reissue committed meanwhile
 * answers the record as it is now, for putUntilCurrent to put that version.
 */
async function claimWithStamp(certificate: Certificate, version?: number): Promise<PutConfirmation<EmailClaimOutcome>> {
  const stamp = pdfStoredPart(certificate.certificateId, clock.now().toISOString(), version);
  try {
    return { confirmed: await claimEmail(issuedEmailKey(certificate.certificateId), undefined, [stamp]) };
  } catch (error) {
    if (!(error instanceof AlongsideConditionFailed)) throw error;
    const latest = await findCertificate(certificate.certificateId);
    if (!latest) throw new Error(`Certificate ${certificate.certificateId} was claimed but cannot be read.`, { cause: error });
    return { latest };
  }
}

export interface IssueOptions {
  known?: KnownCertificate;
  /** Written with the email's sent mark, only by the call that sends it (sendEmailOnce's sentWith). */
  sentWith?: readonly TransactionPart[];
}

/**
 * Steps (a)–(c) for one completer; safe to run any number of times, from any number of workers.
 * `email` says whether this call sent the certificate email (and so wrote `sentWith`).
 */
export async function issueCertificate(
  training: Training,
  registration: StoredRegistration,
  options: IssueOptions = {},
): Promise<{ certificate: Certificate; email: 'sent' | 'already-sent' }> {
  const { certificate, claimedNow } = await claimOrFind(training, registration, options.known);
  let pdf: Buffer | undefined;
  let claim: EmailClaimOutcome;
  if (certificate.pdfStoredAt) {
    claim = await claimEmail(issuedEmailKey(certificate.certificateId));
  } else {
    // Only a record this call did not write can have a PDF from an attempt that crashed after its put.
    pdf = claimedNow ? undefined : await readCertificatePdf(certificate.certificateId);
    if (pdf) {
      const reused = await claimWithStamp(certificate);
      if (!('confirmed' in reused)) throw new Error(`Certificate ${certificate.certificateId} could not be stamped.`);
      claim = reused.confirmed;
    } else {
      // The email attaches what was rendered first: a reissue racing it mails its own version.
      const rendered = await renderFor(certificate);
      pdf = rendered;
      const put = await putUntilCurrent(certificate, rendered, (current) => {
        faultPoint('issuance.after-pdf-put');
        return claimWithStamp(current, currentVersion(current));
      });
      claim = put.confirmed;
    }
  }
  const email = await sendClaimedEmail(
    issuedEmailKey(certificate.certificateId),
    claim,
    // No status write here: the marked claim is what the issuance view reads as 'sent' until an
    // SES event says more, which saves a write per certificate of a large cohort.
    async () => certificateIssuedEmail(certificate, pdf ?? (await storedOrRendered(certificate)), 'certificate-issued'),
    options.sentWith ? { sentWith: options.sentWith } : {},
  );
  return { certificate, email };
}

class ResendCancelled extends Error {
  constructor() {
    super('The certificate was revoked before its resend left');
    this.name = 'ResendCancelled';
  }
}

/**
 * One resend a trainer asked for: the stored PDF again, under a claim of its own (one email per
 * request, however often the work item is delivered). A certificate revoked before the email
 * leaves (looked at again just before the send) is not sent: its delivery ends `cancelled`, not
 * `sending`. Either way the work item is marked done, which takes it off the sweeper's list.
 */
export async function processCertificateResend(resend: CertificateResend): Promise<void> {
  const [current, certificate] = await Promise.all([findResend(resend.certificateId, resend.resendId), findCertificate(resend.certificateId)]);
  if (current?.status === 'done') return;
  const finish = (outcome: 'sent' | 'cancelled') => markResendDone(resend.certificateId, resend.resendId, outcome, clock.now().toISOString());
  const cancel = async () => {
    // The delivery first: a crash before the done mark leaves the item for the sweeper, which repeats both.
    if (certificate) await recordDelivery(certificate.certificateId, { status: 'cancelled', at: clock.now().toISOString() });
    await finish('cancelled');
  };
  if (!certificate || certificate.status !== 'valid') return cancel();
  try {
    await sendEmailOnce(
      `certificate-resend#${resend.certificateId}#${resend.resendId}`,
      async () => {
        if ((await findCertificate(resend.certificateId))?.status !== 'valid') throw new ResendCancelled();
        return certificateIssuedEmail(certificate, await storedOrRendered(certificate), 'certificate-resend');
      },
      { onSent: recordSent(certificate.certificateId) },
    );
  } catch (error) {
    if (error instanceof ResendCancelled) return cancel();
    throw error;
  }
  await finish('sent');
}

/** A confirmed participant who is not the training's own trainer (never self-certified). */
function isParticipant(
  training: Training,
  registration: StoredRegistration | undefined,
  registrationId: string,
): registration is StoredRegistration {
  return registration?.status === 'confirmed' && registration.registrationId === registrationId && !isOwnTraining(training, registration);
}

/**
 * Trainings read once per batch of work items: a cohort's items arrive together and a closed
 * training no longer changes (its certificates are frozen at issue), so one read serves them all.
 * Only a closed training is kept; anything else is read again.
 */
export class ClosedTrainingCache {
  private readonly closed = new Map<string, Promise<Awaited<ReturnType<typeof findTraining>>>>();

  async find(trainingId: string): ReturnType<typeof findTraining> {
    const cached = this.closed.get(trainingId);
    if (cached) return cached;
    const read = findTraining(trainingId);
    this.closed.set(trainingId, read);
    const stored = await read.catch((error: unknown) => {
      this.closed.delete(trainingId);
      throw error;
    });
    if (stored?.training.status !== 'closed') this.closed.delete(trainingId);
    return stored;
  }
}

/** One issuance work item: a certificate for a completer, an explanation for anyone else. */
export async function processIssuanceTask(task: IssuanceTask, closedTrainings?: ClosedTrainingCache): Promise<void> {
  const stored = closedTrainings ? await closedTrainings.find(task.trainingId) : await findTraining(task.trainingId);
  if (stored?.training.status !== 'closed') {
    // Work items are written only after the close is saved; anything else is not ours to act on.
    if ((await findIssuanceTask(task.trainingId, task.registrationId))?.status === 'pending') {
      logger.warn('Issuance task of a training that is not closed', { trainingId: task.trainingId });
    }
    return;
  }
  const { training } = stored;
  const certificateId = certificateIdFor(training.id, task.registrationId);
  // An issuance's time is mostly round trips: everything it decides on, in one read.
  const { task: current, registration, attendance, certificate } = await readIssuanceInputs(training, task, certificateId);
  if (!current || current.status === 'done') return;
  const doneAt = () => clock.now().toISOString();
  if (!isParticipant(training, registration, task.registrationId)) {
    await markIssuanceTaskDone(task.trainingId, task.registrationId, 'skipped', doneAt());
    return;
  }
  const decision = await decide(training, registration, attendance);
  // The done mark goes with the email's sent mark; whoever finds the email already sent writes it alone.
  const outcome: NonNullable<IssuanceTask['outcome']> = decision.kind === 'issue' ? 'certificate' : 'not-completed';
  const issuedId = decision.kind === 'issue' ? certificateId : undefined;
  const sentWith = [issuanceTaskDonePart(task.trainingId, task.registrationId, outcome, doneAt(), issuedId)];
  const email =
    decision.kind === 'issue'
      ? (await issueCertificate(training, registration, { known: { certificate }, sentWith })).email
      : await sendEmailOnce(`certificate-not-earned#${training.id}#${registration.registrationId}`, () => certificateNotEarnedEmail(training, registration, decision), {
          sentWith,
        });
  if (email !== 'sent') await markIssuanceTaskDone(task.trainingId, task.registrationId, outcome, doneAt(), issuedId);
}

/**
 * Feedback given after the close completes a participant who had the hours: the certificate is
 * issued then, through the same idempotent path.
 */
export async function onLateFeedback(training: Training, registration: StoredRegistration): Promise<void> {
  if (training.status !== 'closed') return;
  const current = await findRegistration(training.id, registration.email);
  if (!isParticipant(training, current, registration.registrationId)) return;
  const decision = await decide(training, current);
  if (decision.kind === 'issue') await issueCertificate(training, current);
}
