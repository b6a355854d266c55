import { defineRoute } from '../../shared/http/route';
import { resendCertificateRequest } from '../../shared/api/certificates';
import { resendCertificateRoute } from '../../shared/manifest';
import { resendCertificate } from '../../shared/usecases/delivery';

export const handler = defineRoute(resendCertificateRoute, resendCertificateRequest, async ({ principal, params }) => ({
  status: 202,
  body: await resendCertificate(principal, params.id),
}));
