import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { certificateIdParams, revokeBodySchema } from '../../shared/schemas/certificate-lifecycle';
import { revokeCertificate } from '../../shared/usecases/certificate-lifecycle';

export const handler = defineRoute(
  routes.revokeCertificate,
  { params: certificateIdParams, body: revokeBodySchema },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await revokeCertificate(principal, params.id, body.reason),
  }),
);
