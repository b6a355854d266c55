import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { registerBodySchema } from '../../shared/schemas/registration';
import { trainingIdParams } from '../../shared/schemas/training';
import { registerSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  routes.register,
  { params: trainingIdParams, body: registerBodySchema },
  async ({ principal, params, body }) => ({ status: 201, body: await registerSelf(principal, params.id, body) }),
);
