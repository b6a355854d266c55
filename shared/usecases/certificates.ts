import { titleIn } from '../locale/title';
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import { isVerificationCode, normalizeVerificationCode } from '../certificates/codes';
import { clock } from '../clock';
import { certificateStatus, type CertificateStatus } from '../domain/certificate';
import { currentVersion, hasCurrentPdf } from '../domain/certificate-lifecycle';
import { canEdit, closeTraining as closeRule } from '../domain/training';
import { ConflictError, ForbiddenError, GoneError, NotFoundError } from '../errors';

import type { Training } from '../schemas/training';
import {
  findCertificate,
  findCertificateByCode,
  listCertificatesOfHolder,
  readCertificatePdfObject,
  type Certificate,
} from '../store/certificates';
import { markIssuanceQueued, writeIssuanceTasks, type IssuanceTask } from '../store/issuance';
import { listRoster } from '../store/registrations';
import type { Page } from '../store/paging';
import { findTraining, saveTraining } from '../store/trainings';

const ROSTER_PAGE = 100;

/** One work item per confirmed participant, page by page; items already written are kept as they are. */
async function queueIssuance(training: Training, now: string): Promise<number> {
  let written = 0;
  let cursor: string | undefined;
  do {
    const page = await listRoster(training.id, { limit: ROSTER_PAGE, ...(cursor ? { cursor } : {}) });
    const tasks: IssuanceTask[] = page.items
      .filter((registration) => registration.status === 'confirmed')
      .map((registration) => ({
        trainingId: training.id,
        registrationId: registration.registrationId,
        email: registration.email,
        status: 'pending',
        createdAt: now,
      }));
    written += await writeIssuanceTasks(tasks);
    cursor = page.nextCursor;
  } while (cursor);
  return written;
}

/**
 * Closes a training and queues its certificates. Order: the status flips first (version check:
 * of two concurrent closes one wins, and no attendance or feedback write lands after it), then
 * one work item per confirmed participant is written (conditional Puts), then issuanceQueuedAt
 * is stamped. A close that crashed after the flip left the training closed without that stamp;
 * closing again then resumes the queueing (items already written are skipped). Only a closed
 * training with the stamp answers 409 already_closed.
 */
export async function closeTraining(principal: Principal, trainingId: string): Promise<Training> {
  const stored = await findTraining(trainingId);
  if (!stored) throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  let { training } = stored;
  const resuming = training.status === 'closed' && training.issuanceQueuedAt === undefined && canEdit(principal, training);
  if (!resuming) {
    training = closeRule(training, principal, clock.now());
    try {
      await saveTraining(training, stored.version);
    } catch (error) {
      if (error instanceof ConflictError && error.reason === 'concurrent_update') {
        const again = await findTraining(trainingId);
        if (again?.training.status === 'closed') {
          throw new ConflictError('This training was closed a moment ago by someone else.', 'already_closed');
        }
      }
      throw error;
    }
  }
  const now = clock.now().toISOString();
  await queueIssuance(training, now);
  await markIssuanceQueued(training.id, now);
  return { ...training, issuanceQueuedAt: training.issuanceQueuedAt ?? now };
}

export interface VerificationView {
  status: CertificateStatus;
  number: string;
  holderName: string;
  trainingTitle: string;
  hours: number;
  ects: number | null;
  issuedAt: string;
  validUntil: string;
  issuer: string;
  trainerCertificateNumber: string | null;
  /** Only when revoked: why and when (who is kept on the record, not shown). */
  revocation?: { reason: string; revokedAt: string };
}

function notFoundCode(): NotFoundError {
  return new NotFoundError('No certificate has this verification code. Check the code on the certificate (10 letters and digits).');
}

/** Public: what a certificate says and whether it holds now. Titles and issuer in the holder's language. */
export async function verifyCertificate(code: string): Promise<VerificationView> {
  const normalized = normalizeVerificationCode(code);
  if (!isVerificationCode(normalized)) throw notFoundCode();
  const certificate = await findCertificateByCode(normalized);
  if (!certificate) throw notFoundCode();
  // Certificates issued before the number was recorded on them carry only the id.
  const trainerCertificateNumber =
    certificate.trainerCertificateNumber ||
    (certificate.trainerCertificateId ? (await findCertificate(certificate.trainerCertificateId))?.number : undefined);
  return {
    status: certificateStatus(certificate, clock.now()),
    number: certificate.number,
    holderName: certificate.holderName,
    trainingTitle: titleIn(certificate.trainingTitle, certificate.language),
    hours: certificate.hours,
    ects: certificate.ects ?? null,
    issuedAt: certificate.issuedAt,
    validUntil: certificate.validUntil,
    issuer: certificate.issuer[certificate.language],
    trainerCertificateNumber: trainerCertificateNumber || null,
    ...(certificate.status === 'revoked' && certificate.revocation
      ? { revocation: { reason: certificate.revocation.reason, revokedAt: certificate.revocation.revokedAt } }
      : {}),
  };
}

/** The holder, the trainer, the region's coordinators and admins. */
export function maySeePdf(principal: Principal, certificate: Certificate): boolean {
  return (
    hasRole(principal, 'admins') ||
    principal.email.toLowerCase() === certificate.holderEmail ||
    principal.sub === certificate.trainerSub ||
    coordinatesRegion(principal, certificate.region)
  );
}

/**
 * A revoked certificate is gone for every download, the PDF and the signed credential alike: a
 * freshly signed credential would look valid to a verifier that does not check the status list.
 */
export function assertNotRevoked(certificate: Certificate): void {
  if (certificate.status !== 'revoked') return;
  throw new GoneError(
    `This certificate was revoked on ${certificate.revocation?.revokedAt ?? 'an earlier date'} and can no longer be downloaded.` +
      (certificate.revocation ? ` Reason: ${certificate.revocation.reason}` : '') +
      ' Its verification page shows the revocation; ask the region\'s coordinator if you think this is a mistake.',
    'revoked',
  );
}

/** The stored PDF of the certificate's current version, or nothing while it is being made. */
export async function currentPdfOf(certificate: Certificate): Promise<Buffer | undefined> {
  const stored = hasCurrentPdf(certificate) ? await readCertificatePdfObject(certificate.certificateId) : undefined;
  // A PDF put late by a worker that rendered an older version is never handed out, even for the
  // moment before that worker puts the current one again (usecases/issuance putCurrentPdf).
  return stored && stored.version >= currentVersion(certificate) ? stored.pdf : undefined;
}

export async function certificatePdf(principal: Principal, certificateId: string): Promise<{ pdf: Buffer; number: string }> {
  const certificate = await findCertificate(certificateId);
  if (!certificate) throw new NotFoundError('No certificate has this id. Check the link in your email.');
  if (!maySeePdf(principal, certificate)) {
    throw new ForbiddenError('Only the holder, the trainer, a coordinator of the region or an administrator can download this certificate.');
  }
  assertNotRevoked(certificate);
  const pdf = await currentPdfOf(certificate);
  if (!pdf) {
    throw new ConflictError('The certificate is still being prepared. Try again in a minute.', 'pdf_not_ready');
  }
  return { pdf, number: certificate.number };
}

export interface MyCertificate {
  id: string;
  trainingId: string;
  number: string;
  verificationCode: string;
  status: CertificateStatus;
  issuedAt: string;
  validUntil: string;
}

export async function myCertificates(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<MyCertificate>> {
  const now = clock.now();
  const result = await listCertificatesOfHolder(principal.email.toLowerCase(), page);
  return {
    ...result,
    items: result.items.map((certificate) => ({
      id: certificate.certificateId,
      trainingId: certificate.trainingId,
      number: certificate.number,
      verificationCode: certificate.verificationCode,
      status: certificateStatus(certificate, now),
      issuedAt: certificate.issuedAt,
      validUntil: certificate.validUntil,
    })),
  };
}
