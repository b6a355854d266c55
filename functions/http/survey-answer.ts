import { defineRoute } from '../../shared/http/route';
import { answerSurveyRoute } from '../../shared/manifest';
import { surveysApi } from '../../shared/api/surveys';
import { answerSurvey } from '../../shared/usecases/survey';

export const handler = defineRoute(answerSurveyRoute, surveysApi.answerSurvey, async ({ principal, params, body }) => {
  const result = await answerSurvey(principal, params.surveyId, body);
  return { status: result.status === 'submitted' ? 201 : 200, body: result };
});
