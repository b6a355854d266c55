/**
 * After issue: revoke (final, with its Bitstring Status List bit), reissue (a corrected name: a
 * new PDF version under the same number, mailed once per version) and the Open Badges 3.0
 * credential with its status list, both signed with the platform's Ed25519 key.
 */
import type { Principal } from '../auth/principal';
import type { OpenBadgeCredential, SignableCredential } from '../certificates/open-badge';
import { buildStatusListCredential, type BitstringStatusListCredential } from '../certificates/status-list';
import { clock } from '../clock';
import { regions } from '../config/regions';
import { certificateStatus, type CertificateStatus } from '../domain/certificate';
import {
  assertMayManage,
  currentVersion,
  historyOf,
  isStatusListId,
  reissue,
  revoke,
  statusListLocation,
  type CertificateVersion,
} from '../domain/certificate-lifecycle';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { publicUrl } from '../mail/format';
import { issuerPublicJwk, type IssuerPublicJwk } from '../secrets/issuer-public-key';
import { commitReissue, emptyStatusList, findStatusList, revokeWithStatusBit } from '../store/certificate-lifecycle';
import { findCertificate, type Certificate } from '../store/certificates';
import { assertNotRevoked, maySeePdf as maySeeCertificate } from './certificates';

export interface CertificateView {
  id: string;
  trainingId: string;
  number: string;
  verificationCode: string;
  holderName: string;
  status: CertificateStatus;
  issuedAt: string;
  validUntil: string;
  version: number;
  history: CertificateVersion[];
  revocation?: { reason: string; revokedAt: string };
}

export function certificateView(certificate: Certificate, now: Date): CertificateView {
  return {
    id: certificate.certificateId,
    trainingId: certificate.trainingId,
    number: certificate.number,
    verificationCode: certificate.verificationCode,
    holderName: certificate.holderName,
    status: certificateStatus(certificate, now),
    issuedAt: certificate.issuedAt,
    validUntil: certificate.validUntil,
    version: currentVersion(certificate),
    history: historyOf(certificate),
    ...(certificate.revocation
      ? { revocation: { reason: certificate.revocation.reason, revokedAt: certificate.revocation.revokedAt } }
      : {}),
  };
}

async function certificateOrNotFound(certificateId: string): Promise<Certificate> {
  const certificate = await findCertificate(certificateId);
  if (!certificate) throw new NotFoundError('No certificate has this id. Check the link or the id.');
  return certificate;
}

export async function revokeCertificate(principal: Principal, certificateId: string, reason: string): Promise<CertificateView> {
  const certificate = await certificateOrNotFound(certificateId);
  assertMayManage(principal, certificate);
  const revocation = revoke(certificate, { reason, by: principal.sub, at: clock.now() });
  const outcome = await revokeWithStatusBit(certificateId, revocation, statusListLocation(certificate.number));
  if (outcome === 'already_revoked') {
    // Someone revoked it between our read and our write: theirs is the revocation that counts.
    const winner = await certificateOrNotFound(certificateId);
    revoke(winner, { reason, by: principal.sub, at: clock.now() });
    throw new Error(`Certificate ${certificateId} refused revocation but is not revoked.`);
  }
  return certificateView({ ...certificate, status: 'revoked', revocation }, clock.now());
}

export async function reissueCertificate(
  principal: Principal,
  certificateId: string,
  request: { fullName?: string; reason?: string },
): Promise<CertificateView> {
  const certificate = await certificateOrNotFound(certificateId);
  assertMayManage(principal, certificate);
  const now = clock.now();
  const next = reissue(certificate, { ...request, at: now });
  if ((await commitReissue(certificate, next, now.toISOString())) === 'conflict') {
    const current = await certificateOrNotFound(certificateId);
    // The reason it failed decides the answer: revoked meanwhile, or reissued by someone else.
    reissue(current, { ...request, at: now });
    throw new ConflictError(
      `This certificate was changed a moment ago (it is now version ${currentVersion(current)}). Reload it and reissue again if still needed.`,
      'concurrent_update',
    );
  }
  return certificateView(
    { ...certificate, holderName: next.holderName, version: next.version, history: next.history },
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// Open Badges 3.0.

/** The issuer's id: the platform's public origin, the same in every credential and status list. */
function issuerId(): string {
  return publicUrl('');
}

/** Where the public key is published: the JWS `kid` of everything signed here. */
export function issuerKeyUrl(): string {
  return publicUrl('/api/issuer/key');
}

export function statusListUrl(listId: string): string {
  return publicUrl(`/api/status-lists/${listId}`);
}

export interface Signed<C> {
  jwt: string;
  credential: C;
}

export async function certificateCredential(principal: Principal, certificateId: string): Promise<Signed<OpenBadgeCredential>> {
  const certificate = await certificateOrNotFound(certificateId);
  if (!maySeeCertificate(principal, certificate)) {
    throw new ForbiddenError('Only the holder, the trainer, a coordinator of the region or an administrator can get this credential.');
  }
  assertNotRevoked(certificate);
  const location = statusListLocation(certificate.number);
  const { buildOpenBadgeCredential } = await import('../certificates/open-badge');
  const credential = buildOpenBadgeCredential({
    certificateId: certificate.certificateId,
    number: certificate.number,
    holderName: certificate.holderName,
    language: certificate.language,
    trainingTitle: certificate.trainingTitle,
    hours: certificate.hours,
    ...(certificate.ects !== undefined ? { ects: certificate.ects } : {}),
    issuedAt: certificate.issuedAt,
    validUntil: certificate.validUntil,
    issuer: { id: issuerId(), name: certificate.issuer[certificate.language] },
    publicBaseUrl: issuerId(),
    statusListUrl: statusListUrl(location.listId),
    statusListIndex: location.index,
  });
  return signWithBadgeKey(credential);
}

const knownRegionCodes = new Set(regions.map((region) => region.code));

/** Public: the BitstringStatusListCredential of one region and year, as it stands now. */
export async function statusListCredential(listId: string): Promise<Signed<BitstringStatusListCredential>> {
  if (!isStatusListId(listId) || !knownRegionCodes.has(listId.slice(0, 3))) {
    throw new NotFoundError('No status list has this id. Use the statusListCredential URL found in a credential.');
  }
  const stored = await findStatusList(listId);
  const credential = buildStatusListCredential({
    id: statusListUrl(listId),
    issuer: issuerId(),
    encodedList: stored?.encodedList ?? emptyStatusList(),
    validFrom: stored?.updatedAt ?? clock.now().toISOString(),
  });
  return signWithBadgeKey(credential);
}

/**
 * jose and the signing key's secret are loaded by the two routes that sign, not by every route
 * that shares this module (revoke, reissue, verify).
 */
async function signWithBadgeKey<C extends SignableCredential>(credential: C): Promise<Signed<C>> {
  const [{ signCredential }, { badgeKeys }] = await Promise.all([import('../certificates/open-badge'), import('../secrets/badge-key')]);
  const { privateKey } = await badgeKeys();
  const signed = await signCredential(credential, { privateKey, verificationMethod: issuerKeyUrl() });
  return { jwt: signed.jwt, credential };
}

/** Public: the Ed25519 public key that verifies every credential and status list, as a JWK. */
export function issuerPublicKey(): IssuerPublicJwk & { kid: string; alg: 'EdDSA'; use: 'sig' } {
  const { kty, crv, x } = issuerPublicJwk();
  return { kty, crv, x, kid: issuerKeyUrl(), alg: 'EdDSA', use: 'sig' };
}
