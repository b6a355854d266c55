import { defineRoute } from '../../shared/http/route';
import { registrationsApi } from '../../shared/api/registrations';
import { routes } from '../../shared/manifest';
import { withdrawSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(routes.withdrawRegistration, registrationsApi.withdrawRegistration, async ({ principal, params }) => ({
  status: 200,
  body: await withdrawSelf(principal, params.id),
}));
