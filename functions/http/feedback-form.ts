import { defineRoute } from '../../shared/http/route';
import { feedbackFormRequest } from '../../shared/api/feedback';
import { feedbackFormRoute } from '../../shared/manifest';
import { feedbackFormFor } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  feedbackFormRoute,
  feedbackFormRequest,
  async ({ principal, params, query }) => ({ status: 200, body: await feedbackFormFor(params.id, query.lang, principal) }),
);
