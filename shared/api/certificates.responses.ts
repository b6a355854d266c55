import * as z from '../schemas/zod';
import type { BitstringStatusListCredential } from '../certificates/status-list';
import type { OpenBadgeCredential } from '../certificates/open-badge';
import type { IssuanceProgress } from '../domain/delivery';
import type { CertificateView } from '../usecases/certificate-lifecycle';
import type { CertificatesZipJobView } from '../usecases/certificates-zip';
import type { VerificationView } from '../usecases/certificates';
import { count, instant, named, reply, replyAs, type RouteResponses } from './reply';

const certificateStatus = z.enum(['valid', 'expired', 'revoked']);
const revocation = z.optional(z.object({ reason: z.string(), revokedAt: instant }));

export const myCertificateSchema = named('MyCertificate', z.object({
  id: z.string(),
  trainingId: z.string(),
  number: z.string(),
  verificationCode: z.string(),
  status: certificateStatus,
  issuedAt: instant,
  validUntil: instant,
}));

const certificateView = named('CertificateView', z.object({
  id: z.string(),
  trainingId: z.string(),
  number: z.string(),
  verificationCode: z.string(),
  holderName: z.string(),
  status: certificateStatus,
  issuedAt: instant,
  validUntil: instant,
  version: count,
  history: z.array(z.object({ version: count, fullName: z.string(), issuedAt: instant, reason: z.optional(z.string()) })),
  revocation,
}));

const verification = z.object({
  status: certificateStatus,
  number: z.string(),
  holderName: z.string(),
  trainingTitle: z.string(),
  hours: z.number(),
  ects: z.nullable(z.number()),
  issuedAt: instant,
  validUntil: instant,
  issuer: z.string(),
  trainerCertificateNumber: z.nullable(z.string()),
  revocation,
});

const issuance = z.object({
  summary: z.object({ participants: count, issued: count, notCompleted: count, pending: count, emailed: count, bounced: count, complained: count }),
  items: z.array(
    z.object({
      registrationId: z.string(),
      fullName: z.string(),
      outcome: z.enum(['issued', 'not-completed', 'pending']),
      certificateId: z.optional(z.string()),
      number: z.optional(z.string()),
      delivery: z.optional(z.object({ status: z.enum(['sending', 'sent', 'delivered', 'bounced', 'complained', 'cancelled']), at: instant })),
    }),
  ),
});

const zipJob = named('CertificatesZipJob', z.object({
  status: z.enum(['building', 'ready', 'failed']),
  done: count,
  total: count,
  downloadUrl: z.optional(z.string()),
  expiresAt: z.optional(instant),
  retryAfterSeconds: count,
}));

/** A W3C verifiable credential: the envelope's parts that every verifier reads; the rest is the standard's. */
const credential = z.object({ '@context': z.array(z.string()), id: z.string(), type: z.array(z.string()), validFrom: instant });
const signed = named('SignedCredential', z.object({ jwt: z.string(), credential }));
const VC_JWT = 'application/vc+jwt';

export const certificatesResponses = {
  verifyCertificate: { success: { 200: replyAs<VerificationView>()('Valid, expired or revoked, with what the certificate says.', verification) }, errors: [404] },
  certificatePdf: { success: { 200: { description: 'The certificate as PDF.', files: ['application/pdf'] } }, errors: [404, 410] },
  issuanceProgress: { success: { 200: replyAs<IssuanceProgress>()('Each participant’s certificate and its email.', issuance) }, errors: [404] },
  certificatesZip: {
    success: {
      200: replyAs<CertificatesZipJobView>()(
        'Every current certificate PDF of the training and a manifest.csv listing revoked ones, in one ZIP (application/zip); or, for a ZIP built in the background, `ready` with a download link that works for 15 minutes.',
        zipJob,
        ['application/zip'],
      ),
      202: replyAs<CertificatesZipJobView>()(
        'Too large for one response (or `async=1`): the ZIP is being built into storage; ask again after `retryAfterSeconds` (`done` of `total` PDFs are in).',
        zipJob,
      ),
    },
    errors: [404, 409],
  },
  resendCertificate: {
    success: { 202: reply('The email is queued again.', z.object({ certificateId: z.string(), status: z.literal('queued') })) },
    errors: [404, 409, 429],
  },
  revokeCertificate: { success: { 200: replyAs<CertificateView>()('The revoked certificate.', certificateView) }, errors: [404, 409] },
  reissueCertificate: { success: { 200: replyAs<CertificateView>()('The certificate in its new version.', certificateView) }, errors: [404, 409] },
  certificateCredential: {
    success: { 200: replyAs<{ jwt: string; credential: OpenBadgeCredential }>()('The signed Open Badge (JSON), or the bare VC-JWT (Accept: application/vc+jwt).', signed, [VC_JWT]) },
    errors: [404, 409, 410],
  },
  statusList: {
    success: { 200: replyAs<{ jwt: string; credential: BitstringStatusListCredential }>()('The signed revocation list of one region and year.', signed, [VC_JWT]) },
    errors: [404],
  },
  issuerKey: {
    success: { 200: reply('The issuer’s public Ed25519 key (JWK).', z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') }), ['application/jwk+json']) },
    errors: [],
  },
} satisfies Record<string, RouteResponses>;
