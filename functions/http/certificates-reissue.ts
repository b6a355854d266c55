import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import * as z from '../../shared/schemas/zod';
import { certificateIdParams, reissueBodySchema } from '../../shared/schemas/certificate-lifecycle';
import { reissueCertificate } from '../../shared/usecases/certificate-lifecycle';

/** The body may be left out: a reissue without a new name renders the same name again. */
export const handler = defineRoute(
  routes.reissueCertificate,
  { params: certificateIdParams, body: z.optional(reissueBodySchema), bodyOptional: true },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await reissueCertificate(principal, params.id, {
      ...(body?.fullName === undefined ? {} : { fullName: body.fullName }),
      ...(body?.reason === undefined ? {} : { reason: body.reason }),
    }),
  }),
);
