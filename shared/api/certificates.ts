import * as z from '../schemas/zod';
import { certificateIdParams, reissueBodySchema, revokeBodySchema, statusListParams } from '../schemas/certificate-lifecycle';
import { trainingIdParams } from '../schemas/training';
import type { AreaRequests } from './contract';

/** `async=1`: build the ZIP in the background whatever its size, and answer its progress. */
const certificatesZipQuery = z.object({ async: z.optional(z.enum(['1'], { error: 'must be 1 (build the ZIP in the background)' })) });

const verificationParams = z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(32)) });

export const certificatesApi = {
  verifyCertificate: { params: verificationParams },
  certificatePdf: { params: certificateIdParams },
  issuanceProgress: { params: trainingIdParams },
  certificatesZip: { params: trainingIdParams, query: certificatesZipQuery },
  resendCertificate: { params: certificateIdParams },
  revokeCertificate: { params: certificateIdParams, body: revokeBodySchema },
  // The body may be left out: a reissue without a new name renders the same name again.
  reissueCertificate: { params: certificateIdParams, body: z.optional(reissueBodySchema), bodyOptional: true },
  certificateCredential: { params: certificateIdParams },
  statusList: { params: statusListParams },
  issuerKey: {},
} satisfies AreaRequests;
