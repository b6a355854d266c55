import { surveyAnswerSchema, surveyFormQuery, surveyParams } from '../schemas/survey';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const surveyFormRequest = { params: surveyParams, query: surveyFormQuery } satisfies RouteSpec;
export const answerSurveyRequest = { params: surveyParams, body: surveyAnswerSchema } satisfies RouteSpec;

export const surveysApi = {
  surveyForm: surveyFormRequest,
  answerSurvey: answerSurveyRequest,
} satisfies AreaRequests;
