import { defineRoute } from '../../shared/http/route';
import { registrationsApi } from '../../shared/api/registrations';
import { registerRoute } from '../../shared/manifest';
import { registerSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  registerRoute,
  registrationsApi.register,
  async ({ principal, params, body }) => ({ status: 201, body: await registerSelf(principal, params.id, body) }),
);
