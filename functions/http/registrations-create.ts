import { defineRoute } from '../../shared/http/route';
import { registrationsApi } from '../../shared/api/registrations';
import { routes } from '../../shared/manifest';
import { registerSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  routes.register,
  registrationsApi.register,
  async ({ principal, params, body }) => ({ status: 201, body: await registerSelf(principal, params.id, body) }),
);
