import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { pageQuery } from '../../shared/schemas/paging';
import { myRegistrations } from '../../shared/usecases/registrations';

export const handler = defineRoute(routes.myRegistrations, { query: pageQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await myRegistrations(principal, query),
}));
