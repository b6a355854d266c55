import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { closeTraining } from '../../shared/usecases/certificates';

export const handler = defineRoute(routes.closeTraining, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await closeTraining(principal, params.id),
}));
