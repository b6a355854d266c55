import { defineRoute } from '../../shared/http/route';
import { revokeCertificateRequest } from '../../shared/api/certificates';
import { revokeCertificateRoute } from '../../shared/manifest';
import { revokeCertificate } from '../../shared/usecases/certificate-lifecycle';

export const handler = defineRoute(
  revokeCertificateRoute,
  revokeCertificateRequest,
  async ({ principal, params, body }) => ({
    status: 200,
    body: await revokeCertificate(principal, params.id, body.reason),
  }),
);
