/**
 * What happens to a certificate after it is issued: revocation (final) and reissue (a corrected
 * name, a new version under the same number), and where its revocation bit lives. Pure rules, no
 * I/O; the clock and the caller come in as arguments.
 */
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import { ConflictError, ForbiddenError } from '../errors';
import type { CertificateRecordStatus } from './certificate';

export interface CertificateRevocation {
  reason: string;
  revokedAt: string;
  /** The revoker's `sub` (an account id, not a name: no personal data on the record). */
  revokedBy: string;
}

/** One version of a certificate as it was printed. */
export interface CertificateVersion {
  version: number;
  fullName: string;
  issuedAt: string;
  reason?: string;
}

/** The lifecycle fields of a certificate record (older records lack them: version 1, no history). */
export interface CertificateLifecycle {
  region: string;
  number: string;
  holderName: string;
  issuedAt: string;
  status: CertificateRecordStatus;
  version?: number;
  history?: CertificateVersion[];
  revocation?: CertificateRevocation;
}

/**
 * Status list bits: one list per region and year, the bit index being the certificate's sequence
 * number, so the location is read off the number and never stored or allocated. 2^20 bits cover
 * every 6-digit sequence; mostly zeros, the GZIP'd list is a few hundred bytes.
 */
export const STATUS_LIST_BITS = 1_048_576;

const NUMBER_PATTERN = /^DESTT-(\d{4})-([A-Z]{3})-(\d{6})$/;
const LIST_ID_PATTERN = /^[A-Z]{3}-\d{4}$/;

export interface StatusListLocation {
  /** `{region code}-{year}`, e.g. `ALA-2026`. */
  listId: string;
  index: number;
}

export function statusListLocation(certificateNumber: string): StatusListLocation {
  const match = NUMBER_PATTERN.exec(certificateNumber);
  if (!match) throw new RangeError(`${certificateNumber} is not a certificate number DESTT-{year}-{code}-{6 digits}.`);
  const [, year, code, sequence] = match;
  return { listId: `${code}-${year}`, index: Number(sequence) };
}

export function isStatusListId(listId: string): boolean {
  return LIST_ID_PATTERN.test(listId);
}

export function currentVersion(certificate: Pick<CertificateLifecycle, 'version'>): number {
  return certificate.version ?? 1;
}

/**
 * Whether the stored PDF shows the current version: after a reissue the old PDF stays in the
 * bucket until the workflow renders the new one, and nobody may be sent or shown the old name.
 */
export function hasCurrentPdf(certificate: { version?: number; pdfVersion?: number; pdfStoredAt?: string }): boolean {
  return certificate.pdfStoredAt !== undefined && (certificate.pdfVersion ?? 1) >= currentVersion(certificate);
}

/** Every version so far, oldest first; a record issued before versions existed is version 1. */
export function historyOf(certificate: CertificateLifecycle): CertificateVersion[] {
  return certificate.history ?? [{ version: 1, fullName: certificate.holderName, issuedAt: certificate.issuedAt }];
}

/** Admins, and coordinators of the certificate's region; nobody else changes a certificate. */
export function assertMayManage(principal: Principal, certificate: Pick<CertificateLifecycle, 'region'>): void {
  if (hasRole(principal, 'admins') || coordinatesRegion(principal, certificate.region)) return;
  throw new ForbiddenError(
    'Only an administrator or a coordinator of the certificate\'s region can revoke or reissue it. Ask one of them.',
  );
}

function alreadyRevoked(certificate: CertificateLifecycle): ConflictError {
  const when = certificate.revocation ? ` on ${certificate.revocation.revokedAt}` : '';
  return new ConflictError(
    `This certificate is already revoked${when}; revocation is final.`,
    'already_revoked',
    undefined,
    certificate.revocation ? { revokedAt: certificate.revocation.revokedAt } : undefined,
  );
}

export function revoke(
  certificate: CertificateLifecycle,
  request: { reason: string; by: string; at: Date },
): CertificateRevocation {
  if (certificate.status === 'revoked') throw alreadyRevoked(certificate);
  return { reason: request.reason, revokedAt: request.at.toISOString(), revokedBy: request.by };
}

export interface Reissue {
  version: number;
  holderName: string;
  history: CertificateVersion[];
}

/**
 * The next version: the same number, id and validity, the name corrected (or kept), the history
 * extended. A revoked certificate stays revoked: issuing a fresh copy of it would undo the revocation.
 */
export function reissue(
  certificate: CertificateLifecycle,
  request: { fullName?: string; reason?: string; at: Date },
): Reissue {
  if (certificate.status === 'revoked') {
    throw new ConflictError(
      'This certificate is revoked, so it cannot be reissued. A revoked certificate stays revoked; issue a new one through a training if needed.',
      'certificate_revoked',
    );
  }
  const version = currentVersion(certificate) + 1;
  const holderName = request.fullName ?? certificate.holderName;
  return {
    version,
    holderName,
    history: [
      ...historyOf(certificate),
      {
        version,
        fullName: holderName,
        issuedAt: request.at.toISOString(),
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      },
    ],
  };
}
