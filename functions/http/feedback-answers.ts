import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { feedbackAnswersQuery } from '../../shared/schemas/feedback';
import { trainingIdParams } from '../../shared/schemas/training';
import { feedbackAnswersFor } from '../../shared/usecases/feedback';

export const handler = defineRoute(
  routes.feedbackAnswers,
  { params: trainingIdParams, query: feedbackAnswersQuery },
  async ({ principal, params, query }) => ({
    status: 200,
    body: await feedbackAnswersFor(principal, params.id, query.question, query.cursor),
    headers: { 'cache-control': 'no-store' },
  }),
);
