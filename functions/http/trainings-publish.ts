import { defineRoute } from '../../shared/http/route';
import { trainingsApi } from '../../shared/api/trainings';
import { routes } from '../../shared/manifest';
import { publishTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.publishTraining, trainingsApi.publishTraining, async ({ principal, params }) => ({
  status: 200,
  body: await publishTraining(principal, params.id),
}));
