import { defineRoute } from '../../shared/http/route';
import { registrationsApi } from '../../shared/api/registrations';
import { withdrawRegistrationRoute } from '../../shared/manifest';
import { withdrawSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(withdrawRegistrationRoute, registrationsApi.withdrawRegistration, async ({ principal, params }) => ({
  status: 200,
  body: await withdrawSelf(principal, params.id),
}));
