import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { createTrainingSchema } from '../../shared/schemas/training';
import { createTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.createTraining, { body: createTrainingSchema }, async ({ principal, body }) => {
  const training = await createTraining(principal, body);
  return { status: 201, body: training, headers: { location: `/api/trainings/${training.id}` } };
});
