import { defineRoute } from '../../shared/http/route';
import { submitFeedbackRequest } from '../../shared/api/feedback';
import { submitFeedbackRoute } from '../../shared/manifest';
import { submitFeedback } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  submitFeedbackRoute,
  submitFeedbackRequest,
  async ({ principal, params, body }) => ({ status: 201, body: await submitFeedback(principal, params.id, body) }),
);
