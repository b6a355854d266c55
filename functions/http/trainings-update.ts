import { defineRoute } from '../../shared/http/route';
import { updateTrainingRequest } from '../../shared/api/trainings';
import { updateTrainingRoute } from '../../shared/manifest';
import { updateTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(
  updateTrainingRoute,
  updateTrainingRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await updateTraining(principal, params.id, body) }),
);
