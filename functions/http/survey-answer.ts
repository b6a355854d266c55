import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { surveyAnswerSchema, surveyParams } from '../../shared/schemas/survey';
import { answerSurvey } from '../../shared/usecases/survey';

export const handler = defineRoute(routes.answerSurvey, { params: surveyParams, body: surveyAnswerSchema }, async ({ principal, params, body }) => {
  const result = await answerSurvey(principal, params.surveyId, body);
  return { status: result.status === 'submitted' ? 201 : 200, body: result };
});
