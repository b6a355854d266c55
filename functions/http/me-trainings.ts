import { defineRoute } from '../../shared/http/route';
import { myTrainingsRequest } from '../../shared/api/me';
import { myTrainingsRoute } from '../../shared/manifest';
import { listMyTrainings } from '../../shared/usecases/trainings';

export const handler = defineRoute(myTrainingsRoute, myTrainingsRequest, async ({ principal, query }) => ({
  status: 200,
  body: await listMyTrainings(principal, query),
}));
