import { defineRoute } from '../../shared/http/route';
import { answerSurveyRoute } from '../../shared/manifest';
import { answerSurveyRequest } from '../../shared/api/surveys';
import { answerSurvey } from '../../shared/usecases/survey';

export const handler = defineRoute(answerSurveyRoute, answerSurveyRequest, async ({ principal, params, body }) => {
  const result = await answerSurvey(principal, params.surveyId, body);
  return { status: result.status === 'submitted' ? 201 : 200, body: result };
});
