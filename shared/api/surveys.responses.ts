import * as z from '../schemas/zod';
import type { SurveyAnswerResult, SurveyView } from '../usecases/survey';
import { instant, language, named, replyAs, type RouteResponses } from './reply';

const choice = z.object({ id: z.string(), label: z.string() });

const surveyView = named('FollowUpSurvey', z.object({
  language,
  intro: z.string(),
  privacy: z.string(),
  scale: z.object({ min: z.number(), max: z.number(), minLabel: z.string(), maxLabel: z.string() }),
  applied: z.object({ question: z.string(), options: z.array(choice) }),
  ratings: z.array(choice),
  questions: z.array(z.object({ id: z.string(), text: z.string() })),
  colleagues: z.string(),
  forms: z.object({ question: z.string(), options: z.array(choice) }),
  candidate: z.object({ label: z.string(), note: z.string() }),
  surveyId: z.string(),
  trainingTitle: z.string(),
  months: z.number(),
  invitedAt: instant,
  closesAt: instant,
  open: z.boolean(),
  answered: z.boolean(),
  releasedAt: z.nullable(instant),
  minimumResponses: z.number(),
  answerMaxLength: z.number(),
  colleaguesMax: z.number(),
  optIn: z.object({ offered: z.boolean(), nextLevel: z.nullable(z.number()), wouldTrain: z.boolean() }),
}));

const answerResult = z.union([
  z.object({ surveyId: z.string(), status: z.literal('submitted') }),
  z.object({ surveyId: z.string(), status: z.literal('candidate'), wouldTrain: z.boolean() }),
]);

export const surveysResponses = {
  surveyForm: { success: { 200: replyAs<SurveyView>()('The follow-up survey in the asked language, and where this person stands with it.', surveyView) }, errors: [404, 410] },
  answerSurvey: {
    success: {
      201: replyAs<SurveyAnswerResult>()('The anonymous answer is counted.', answerResult),
      200: replyAs<SurveyAnswerResult>()('The named opt-in (would train the next level) is recorded.', answerResult),
    },
    errors: [404, 409, 410],
  },
} satisfies Record<string, RouteResponses>;
