import { defineRoute } from '../../shared/http/route';
import { publishTrainingRequest } from '../../shared/api/trainings';
import { publishTrainingRoute } from '../../shared/manifest';
import { publishTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(publishTrainingRoute, publishTrainingRequest, async ({ principal, params }) => ({
  status: 200,
  body: await publishTraining(principal, params.id),
}));
