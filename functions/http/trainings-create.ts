import { defineRoute } from '../../shared/http/route';
import { createTrainingRequest } from '../../shared/api/trainings';
import { createTrainingRoute } from '../../shared/manifest';
import { createTraining } from '../../shared/usecases/trainings';

export const handler = defineRoute(createTrainingRoute, createTrainingRequest, async ({ principal, body }) => {
  const training = await createTraining(principal, body);
  return { status: 201, body: training, headers: { location: `/api/trainings/${training.id}` } };
});
