/**
 * Certificate issuance, run by the workflow consumer for each issuance work item (written when a
 * training is closed) and for feedback that arrives after the close. Exactly once per (training,
 * registration) under duplicate records, concurrent workers and a crash between any two steps:
 *
 * (a) claim: draw a number (atomic counter), then one transaction puts the certificate under its
 *     deterministic id (attribute_not_exists), its code lookup and its holder index. A loser, or a
 *     retry after a crash, finds the certificate and goes on with it; its number is simply unused
 *     (gaps, never duplicates). A crash between drawing and the Put only leaves a gap.
 * (b) the PDF, rendered from the stored record only, is put to S3, then the record is stamped
 *     pdfStoredAt. A retry that finds the record unstamped first looks for a PDF an earlier
 *     attempt put before crashing, and reuses it: one PDF version per certificate.
 * (c) the email, with the PDF attached, is sent only after winning its claim (sendEmailOnce).
 * (d) the work item is marked done (a MODIFY: never delivered to the consumer again).
 * Every step reads what the previous ones left, so a repeat redoes nothing that was done.
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
import { sendEmailOnce } from '../mail/send-once';
import type { Training } from '../schemas/training';
import { currentVersion } from '../domain/certificate-lifecycle';
import { faultPoint } from '../faults';
import {
  claimCertificate,
  findCertificate,
  findResend,
  markPdfStored,
  markResendDone,
  nextCertificateSequence,
  putCertificatePdf,
  readCertificatePdf,
  recordDelivery,
  type Certificate,
  type CertificateResend,
} from '../store/certificates';
import { attendanceOfRegistration, findIssuanceTask, markIssuanceTaskDone, type IssuanceTask } from '../store/issuance';
import { feedbackFactsFor } from '../store/feedback';
import { findRegistration, type StoredRegistration } from '../store/registrations';
import { findTraining } from '../store/trainings';

/** The completion rule on the same data the attendance report uses: the marks and the feedback flag. */
export async function decide(training: Training, registration: StoredRegistration): Promise<IssuanceDecision> {
  const marks = await attendanceOfRegistration(training, registration.registrationId);
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

/**
 * Step (a): the certificate record, claimed once; whoever loses reads the winner's. `claimedNow`
 * says this call wrote it, so no earlier attempt can have put its PDF.
 */
async function claimOrFind(training: Training, registration: StoredRegistration): Promise<{ certificate: Certificate; claimedNow: boolean }> {
  const certificateId = certificateIdFor(training.id, registration.registrationId);
  const existing = await findCertificate(certificateId);
  if (existing) return { certificate: existing, claimedNow: false };

  const region = findRegion(training.region);
  if (!region) throw new Error(`Training ${training.id} has region ${training.region}, which is not in config/regions.json.`);
  const issuedAt = clock.now().toISOString();
  const year = numberingYear(issuedAt);
  const number = certificateNumber(year, region.code, await nextCertificateSequence(region.code, year));
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

/**
 * Puts the PDF of `certificate` and leaves the bucket's latest object at the record's current
 * version. A reissue committed while this PDF was rendered or uploaded may have put its own PDF
 * before this put landed; its commit precedes its put, so reading the record after this put sees
 * it, and the current version is put again. Returns the version and PDF that were put last.
 */
export async function putCurrentPdf(certificate: Certificate, pdf: Buffer): Promise<{ certificate: Certificate; pdf: Buffer }> {
  let current = { certificate, pdf };
  for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
    await putCertificatePdf(current.certificate.certificateId, current.pdf, currentVersion(current.certificate));
    const latest = await findCertificate(current.certificate.certificateId);
    if (!latest || currentVersion(latest) === currentVersion(current.certificate)) return current;
    current = { certificate: latest, pdf: await renderFor(latest) };
  }
  throw new Error(`Certificate ${certificate.certificateId} kept changing version while its PDF was stored; the retry will finish it.`);
}

/** Steps (a)–(c) for one completer; safe to run any number of times, from any number of workers. */
export async function issueCertificate(training: Training, registration: StoredRegistration): Promise<Certificate> {
  const { certificate, claimedNow } = await claimOrFind(training, registration);
  let pdf: Buffer | undefined;
  if (!certificate.pdfStoredAt) {
    // Only a record this call did not write can have a PDF from an attempt that crashed after its put.
    pdf = claimedNow ? undefined : await readCertificatePdf(certificate.certificateId);
    if (!pdf) {
      // The email attaches what was rendered first: a reissue racing it mails its own version.
      pdf = await renderFor(certificate);
      await putCurrentPdf(certificate, pdf);
      faultPoint('issuance.after-pdf-put');
    }
    await markPdfStored(certificate.certificateId, clock.now().toISOString());
  }
  await sendEmailOnce(
    `certificate-issued#${certificate.certificateId}`,
    // No status write here: the marked claim is what the issuance view reads as 'sent' until an
    // SES event says more, which saves a write per certificate of a large cohort.
    async () => certificateIssuedEmail(certificate, pdf ?? (await storedOrRendered(certificate)), 'certificate-issued'),
  );
  return certificate;
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
  // Independent reads, at once: an issuance's time is mostly round trips.
  const [current, stored, registration] = await Promise.all([
    findIssuanceTask(task.trainingId, task.registrationId),
    closedTrainings ? closedTrainings.find(task.trainingId) : findTraining(task.trainingId),
    findRegistration(task.trainingId, task.email),
  ]);
  if (!current || current.status === 'done') return;
  if (stored?.training.status !== 'closed') {
    // Work items are written only after the close is saved; anything else is not ours to act on.
    logger.warn('Issuance task of a training that is not closed', { trainingId: task.trainingId });
    return;
  }
  const { training } = stored;
  const doneAt = () => clock.now().toISOString();
  if (!isParticipant(training, registration, task.registrationId)) {
    await markIssuanceTaskDone(task.trainingId, task.registrationId, 'skipped', doneAt());
    return;
  }
  const decision = await decide(training, registration);
  if (decision.kind === 'issue') {
    const certificate = await issueCertificate(training, registration);
    await markIssuanceTaskDone(task.trainingId, task.registrationId, 'certificate', doneAt(), certificate.certificateId);
    return;
  }
  await sendEmailOnce(`certificate-not-earned#${training.id}#${registration.registrationId}`, () =>
    certificateNotEarnedEmail(training, registration, decision),
  );
  await markIssuanceTaskDone(task.trainingId, task.registrationId, 'not-completed', doneAt());
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
