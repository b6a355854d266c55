import { feedbackAnswersQuery, feedbackFormQuery, feedbackSummaryQuery, submitFeedbackSchema } from '../schemas/feedback';
import { trainingIdParams } from '../schemas/training';
import type { AreaRequests } from './contract';

export const feedbackApi = {
  feedbackForm: { params: trainingIdParams, query: feedbackFormQuery },
  closeFeedback: { params: trainingIdParams },
  feedbackAnswers: { params: trainingIdParams, query: feedbackAnswersQuery },
  submitFeedback: { params: trainingIdParams, body: submitFeedbackSchema },
  feedbackSummary: { params: trainingIdParams, query: feedbackSummaryQuery },
} satisfies AreaRequests;
