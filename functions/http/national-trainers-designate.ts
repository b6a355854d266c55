import { defineRoute } from '../../shared/http/route';
import { designateNationalTrainerRequest } from '../../shared/api/trainings';
import { designateNationalTrainerRoute } from '../../shared/manifest';
import { designateNationalTrainer } from '../../shared/usecases/trainings';

export const handler = defineRoute(designateNationalTrainerRoute, designateNationalTrainerRequest, async ({ principal, params }) => ({
  status: 200,
  body: await designateNationalTrainer(principal, params.email),
}));
