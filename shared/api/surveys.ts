import { surveyAnswerSchema, surveyFormQuery, surveyParams } from '../schemas/survey';
import type { AreaRequests } from './contract';

export const surveysApi = {
  surveyForm: { params: surveyParams, query: surveyFormQuery },
  answerSurvey: { params: surveyParams, body: surveyAnswerSchema },
} satisfies AreaRequests;
