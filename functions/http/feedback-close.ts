import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { closeFeedbackEarly } from '../../shared/usecases/feedback';

export const handler = defineRoute(routes.closeFeedback, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await closeFeedbackEarly(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
