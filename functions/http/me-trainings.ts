import { defineRoute } from '../../shared/http/route';
import { meApi } from '../../shared/api/me';
import { routes } from '../../shared/manifest';
import { listMyTrainings } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.myTrainings, meApi.myTrainings, async ({ principal, query }) => ({
  status: 200,
  body: await listMyTrainings(principal, query),
}));
