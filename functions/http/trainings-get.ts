import { defineRoute } from '../../shared/http/route';
import { getTrainingRequest } from '../../shared/api/trainings';
import { getTrainingRoute } from '../../shared/manifest';
import { getTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(getTrainingRoute, getTrainingRequest, async ({ principal, params }) => ({
  status: 200,
  body: await getTraining(principal, params.id),
}));
