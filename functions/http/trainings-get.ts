import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { getTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.getTraining, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await getTraining(principal, params.id),
}));
