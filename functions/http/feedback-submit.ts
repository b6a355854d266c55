import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { submitFeedbackSchema } from '../../shared/schemas/feedback';
import { trainingIdParams } from '../../shared/schemas/training';
import { submitFeedback } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  routes.submitFeedback,
  { params: trainingIdParams, body: submitFeedbackSchema },
  async ({ principal, params, body }) => ({ status: 201, body: await submitFeedback(principal, params.id, body) }),
);
