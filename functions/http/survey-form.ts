import { defineRoute } from '../../shared/http/route';
import { surveyFormRoute } from '../../shared/manifest';
import { surveyFormRequest } from '../../shared/api/surveys';
import { surveyFor } from '../../shared/usecases/survey';

export const handler = defineRoute(surveyFormRoute, surveyFormRequest, async ({ principal, params, query }) => ({
  status: 200,
  body: await surveyFor(principal, params.surveyId, query.lang),
  headers: { 'cache-control': 'no-store' },
}));
