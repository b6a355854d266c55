import { defineRoute } from '../../shared/http/route';
import { withdrawRegistrationRequest } from '../../shared/api/registrations';
import { withdrawRegistrationRoute } from '../../shared/manifest';
import { withdrawSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(withdrawRegistrationRoute, withdrawRegistrationRequest, async ({ principal, params }) => ({
  status: 200,
  body: await withdrawSelf(principal, params.id),
}));
