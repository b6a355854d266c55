import { defineRoute } from '../../shared/http/route';
import { trainingsApi } from '../../shared/api/trainings';
import { cancelTrainingRoute } from '../../shared/manifest';
import { cancelTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(
  cancelTrainingRoute,
  trainingsApi.cancelTraining,
  async ({ principal, params, body }) => ({ status: 200, body: await cancelTraining(principal, params.id, body.reason) }),
);
