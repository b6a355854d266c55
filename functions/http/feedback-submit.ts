import { defineRoute } from '../../shared/http/route';
import { feedbackApi } from '../../shared/api/feedback';
import { submitFeedbackRoute } from '../../shared/manifest';
import { submitFeedback } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  submitFeedbackRoute,
  feedbackApi.submitFeedback,
  async ({ principal, params, body }) => ({ status: 201, body: await submitFeedback(principal, params.id, body) }),
);
