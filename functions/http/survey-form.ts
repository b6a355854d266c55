import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { surveyFormQuery, surveyParams } from '../../shared/schemas/survey';
import { surveyFor } from '../../shared/usecases/survey';

export const handler = defineRoute(routes.surveyForm, { params: surveyParams, query: surveyFormQuery }, async ({ principal, params, query }) => ({
  status: 200,
  body: await surveyFor(principal, params.surveyId, query.lang),
  headers: { 'cache-control': 'no-store' },
}));
