import { defineRoute } from '../../shared/http/route';
import { closeFeedbackRequest } from '../../shared/api/feedback';
import { closeFeedbackRoute } from '../../shared/manifest';
import { closeFeedbackEarly } from '../../shared/usecases/feedback';

export const handler = defineRoute(closeFeedbackRoute, closeFeedbackRequest, async ({ principal, params }) => ({
  status: 200,
  body: await closeFeedbackEarly(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
