import { defineRoute } from '../../shared/http/route';
import { verifyCertificateRequest } from '../../shared/api/certificates';
import { verifyCertificateRoute } from '../../shared/manifest';
import { verifyCertificate } from '../../shared/usecases/certificates';

export const handler = defineRoute(verifyCertificateRoute, verifyCertificateRequest, async ({ params }) => ({
  status: 200,
  body: await verifyCertificate(params.code),
}));
