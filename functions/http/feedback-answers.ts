import { defineRoute } from '../../shared/http/route';
import { feedbackAnswersRequest } from '../../shared/api/feedback';
import { feedbackAnswersRoute } from '../../shared/manifest';
import { feedbackAnswersFor } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  feedbackAnswersRoute,
  feedbackAnswersRequest,
  async ({ principal, params, query }) => ({
    status: 200,
    body: await feedbackAnswersFor(principal, params.id, query.question, query.cursor),
    headers: { 'cache-control': 'no-store' },
  }),
);
