import { defineRoute } from '../../shared/http/route';
import { undesignateNationalTrainerRequest } from '../../shared/api/trainings';
import { undesignateNationalTrainerRoute } from '../../shared/manifest';
import { undesignateNationalTrainer } from '../../shared/usecases/trainings';

export const handler = defineRoute(undesignateNationalTrainerRoute, undesignateNationalTrainerRequest, async ({ params }) => {
  await undesignateNationalTrainer(params.email);
  return { status: 204 };
});
