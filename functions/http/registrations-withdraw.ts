import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { withdrawSelf } from '../../shared/usecases/registrations';

export const handler = defineRoute(routes.withdrawRegistration, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await withdrawSelf(principal, params.id),
}));
