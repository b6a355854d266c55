import { defineRoute } from '../../shared/http/route';
import { registerRequest } from '../../shared/api/registrations';
import { registerRoute } from '../../shared/manifest';
import { registerSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  registerRoute,
  registerRequest,
  async ({ principal, params, body }) => ({ status: 201, body: await registerSelf(principal, params.id, body) }),
);
