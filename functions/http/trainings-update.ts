import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams, updateTrainingSchema } from '../../shared/schemas/training';
import { updateTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(
  routes.updateTraining,
  { params: trainingIdParams, body: updateTrainingSchema },
  async ({ principal, params, body }) => ({ status: 200, body: await updateTraining(principal, params.id, body) }),
);
