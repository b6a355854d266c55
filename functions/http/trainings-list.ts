import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { listTrainingsQuery } from '../../shared/schemas/training';
import { listTrainings } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.listTrainings, { query: listTrainingsQuery }, async ({ query }) => ({
  status: 200,
  body: await listTrainings(query),
}));
