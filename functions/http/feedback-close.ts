import { defineRoute } from '../../shared/http/route';
import { feedbackApi } from '../../shared/api/feedback';
import { closeFeedbackRoute } from '../../shared/manifest';
import { closeFeedbackEarly } from '../../shared/usecases/feedback';

export const handler = defineRoute(closeFeedbackRoute, feedbackApi.closeFeedback, async ({ principal, params }) => ({
  status: 200,
  body: await closeFeedbackEarly(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
