import { defineRoute } from '../../shared/http/route';
import { trainingsApi } from '../../shared/api/trainings';
import { routes } from '../../shared/manifest';
import { undesignateNationalTrainer } from '../../shared/usecases/trainings';

export const handler = defineRoute(routes.undesignateNationalTrainer, trainingsApi.undesignateNationalTrainer, async ({ params }) => {
  await undesignateNationalTrainer(params.email);
  return { status: 204 };
});
