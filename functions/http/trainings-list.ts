import { defineRoute } from '../../shared/http/route';
import { listTrainingsRequest } from '../../shared/api/trainings';
import { listTrainingsRoute } from '../../shared/manifest';
import { listTrainings } from '../../shared/usecases/trainings';

export const handler = defineRoute(listTrainingsRoute, listTrainingsRequest, async ({ query }) => ({
  status: 200,
  body: await listTrainings(query),
}));
