import { feedbackAnswersQuery, feedbackFormQuery, feedbackSummaryQuery, submitFeedbackSchema } from '../schemas/feedback';
import { trainingIdParams } from '../schemas/common';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const feedbackFormRequest = { params: trainingIdParams, query: feedbackFormQuery } satisfies RouteSpec;
export const closeFeedbackRequest = { params: trainingIdParams } satisfies RouteSpec;
export const feedbackAnswersRequest = { params: trainingIdParams, query: feedbackAnswersQuery } satisfies RouteSpec;
export const submitFeedbackRequest = { params: trainingIdParams, body: submitFeedbackSchema } satisfies RouteSpec;
export const feedbackSummaryRequest = { params: trainingIdParams, query: feedbackSummaryQuery } satisfies RouteSpec;

export const feedbackApi = {
  feedbackForm: feedbackFormRequest,
  closeFeedback: closeFeedbackRequest,
  feedbackAnswers: feedbackAnswersRequest,
  submitFeedback: submitFeedbackRequest,
  feedbackSummary: feedbackSummaryRequest,
} satisfies AreaRequests;
