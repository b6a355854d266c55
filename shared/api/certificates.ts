import * as z from '../schemas/zod';
import { certificateIdParams, reissueBodySchema, revokeBodySchema, statusListParams } from '../schemas/certificate-lifecycle';
import { trainingIdParams } from '../schemas/common';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

/** `async=1`: build the ZIP in the background whatever its size, and answer its progress. */
const certificatesZipQuery = z.object({ async: z.optional(z.enum(['1'], { error: 'must be 1 (build the ZIP in the background)' })) });

const verificationParams = z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(32)) });

export const verifyCertificateRequest = { params: verificationParams } satisfies RouteSpec;
export const certificatePdfRequest = { params: certificateIdParams } satisfies RouteSpec;
export const issuanceProgressRequest = { params: trainingIdParams } satisfies RouteSpec;
export const certificatesZipRequest = { params: trainingIdParams, query: certificatesZipQuery } satisfies RouteSpec;
export const resendCertificateRequest = { params: certificateIdParams } satisfies RouteSpec;
export const revokeCertificateRequest = { params: certificateIdParams, body: revokeBodySchema } satisfies RouteSpec;
// The body may be left out: a reissue without a new name renders the same name again.
export const reissueCertificateRequest = { params: certificateIdParams, body: z.optional(reissueBodySchema), bodyOptional: true } satisfies RouteSpec;
export const certificateCredentialRequest = { params: certificateIdParams } satisfies RouteSpec;
export const statusListRequest = { params: statusListParams } satisfies RouteSpec;
export const issuerKeyRequest = {} satisfies RouteSpec;

export const certificatesApi = {
  verifyCertificate: verifyCertificateRequest,
  certificatePdf: certificatePdfRequest,
  issuanceProgress: issuanceProgressRequest,
  certificatesZip: certificatesZipRequest,
  resendCertificate: resendCertificateRequest,
  revokeCertificate: revokeCertificateRequest,
  reissueCertificate: reissueCertificateRequest,
  certificateCredential: certificateCredentialRequest,
  statusList: statusListRequest,
  issuerKey: issuerKeyRequest,
} satisfies AreaRequests;
