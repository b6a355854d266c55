import { defineRoute } from '../../shared/http/route';
import { reissueCertificateRequest } from '../../shared/api/certificates';
import { reissueCertificateRoute } from '../../shared/manifest';
import { reissueCertificate } from '../../shared/usecases/certificate-lifecycle';

export const handler = defineRoute(
  reissueCertificateRoute,
  reissueCertificateRequest,
  async ({ principal, params, body }) => ({
    status: 200,
    body: await reissueCertificate(principal, params.id, {
      ...(body?.fullName === undefined ? {} : { fullName: body.fullName }),
      ...(body?.reason === undefined ? {} : { reason: body.reason }),
    }),
  }),
);
