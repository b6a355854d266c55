import { defineRoute } from '../../shared/http/route';
import { meApi } from '../../shared/api/me';
import { myTrainingsRoute } from '../../shared/manifest';
import { listMyTrainings } from '../../shared/usecases/trainings';

export const handler = defineRoute(myTrainingsRoute, meApi.myTrainings, async ({ principal, query }) => ({
  status: 200,
  body: await listMyTrainings(principal, query),
}));
