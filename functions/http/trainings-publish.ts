import { defineRoute } from '../../shared/http/route';
import { trainingsApi } from '../../shared/api/trainings';
import { publishTrainingRoute } from '../../shared/manifest';
import { publishTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(publishTrainingRoute, trainingsApi.publishTraining, async ({ principal, params }) => ({
  status: 200,
  body: await publishTraining(principal, params.id),
}));
