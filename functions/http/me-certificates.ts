import { defineRoute } from '../../shared/http/route';
import { myCertificatesRequest } from '../../shared/api/me';
import { myCertificatesRoute } from '../../shared/manifest';
import { myCertificates } from '../../shared/usecases/certificates';

export const handler = defineRoute(myCertificatesRoute, myCertificatesRequest, async ({ principal, query }) => ({
  status: 200,
  body: await myCertificates(principal, query),
}));
