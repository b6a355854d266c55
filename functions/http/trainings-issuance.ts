import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { issuanceProgressOf } from '../../shared/usecases/delivery';

export const handler = defineRoute(routes.issuanceProgress, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await issuanceProgressOf(principal, params.id),
}));
