import { defineRoute } from '../../shared/http/route';
import { registrationsApi } from '../../shared/api/registrations';
import { routes } from '../../shared/manifest';
import { roster } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  routes.roster,
  registrationsApi.roster,
  async ({ principal, params, query }) => ({ status: 200, body: await roster(principal, params.id, query) }),
);
