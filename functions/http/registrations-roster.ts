import { defineRoute } from '../../shared/http/route';
import { rosterRequest } from '../../shared/api/registrations';
import { rosterRoute } from '../../shared/manifest';
import { roster } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  rosterRoute,
  rosterRequest,
  async ({ principal, params, query }) => ({ status: 200, body: await roster(principal, params.id, query) }),
);
