import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { feedbackFormQuery } from '../../shared/schemas/feedback';
import { trainingIdParams } from '../../shared/schemas/training';
import { feedbackFormFor } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  routes.feedbackForm,
  { params: trainingIdParams, query: feedbackFormQuery },
  async ({ principal, params, query }) => ({ status: 200, body: await feedbackFormFor(params.id, query.lang, principal) }),
);
