import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { publishTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.publishTraining, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await publishTraining(principal, params.id),
}));
