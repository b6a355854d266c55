import { defineRoute } from '../../shared/http/route';
import { closeTrainingRequest } from '../../shared/api/trainings';
import { closeTrainingRoute } from '../../shared/manifest';
import { closeTraining } from '../../shared/usecases/certificates';

export const handler = defineRoute(closeTrainingRoute, closeTrainingRequest, async ({ principal, params }) => ({
  status: 200,
  body: await closeTraining(principal, params.id),
}));
