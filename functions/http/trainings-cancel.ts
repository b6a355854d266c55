import { defineRoute } from '../../shared/http/route';
import { cancelTrainingRequest } from '../../shared/api/trainings';
import { cancelTrainingRoute } from '../../shared/manifest';
import { cancelTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(
  cancelTrainingRoute,
  cancelTrainingRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await cancelTraining(principal, params.id, body.reason) }),
);
