import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { pageQuery } from '../../shared/schemas/paging';
import { myCertificates } from '../../shared/usecases/certificates';

export const handler = defineRoute(routes.myCertificates, { query: pageQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await myCertificates(principal, query),
}));
