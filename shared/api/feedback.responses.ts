import * as z from '../schemas/zod';
import type { AnswersView, FeedbackFormView, FeedbackSummaryView } from '../usecases/feedback';
import { count, instant, language, named, nullableNumber, reply, replyAs, type RouteResponses } from './reply';

const window = z.object({ opensAt: instant, closesAt: instant });

const answerPage = named('AnswerPage', z.object({ total: count, withheld: z.boolean(), items: z.array(z.string()), nextCursor: z.optional(z.string()) }));

const form = z.object({
  trainingId: z.string(),
  title: z.string(),
  language,
  intro: z.string(),
  scale: z.object({ min: z.number(), max: z.number(), minLabel: z.string(), maxLabel: z.string() }),
  ratings: z.array(z.object({ id: z.string(), label: z.string(), minLabel: z.string(), maxLabel: z.string() })),
  questions: z.array(z.object({ id: z.string(), text: z.string() })),
  window,
  open: z.boolean(),
  answerMaxLength: z.number(),
  minimumResponses: z.number(),
  releasedAt: z.nullable(instant),
});

const summary = named('FeedbackSummary', z.object({
  trainingId: z.string(),
  title: z.string(),
  language,
  window,
  responses: count,
  confirmed: count,
  responseRate: nullableNumber,
  minimumResponses: z.number(),
  releasedAt: z.nullable(instant),
  releaseReason: z.nullable(z.enum(['window_ended', 'all_answered', 'closed_early'])),
  canCloseEarly: z.boolean(),
  detailsHidden: z.boolean(),
  hiddenReason: z.nullable(z.enum(['not_released', 'below_minimum'])),
  ratings: z.optional(z.record(z.string(), z.object({ count, mean: nullableNumber, distribution: z.record(z.string(), count) }))),
  answers: z.optional(z.record(z.string(), answerPage)),
  nonResponders: z.optional(z.array(z.object({ fullName: z.string(), email: z.string() }))),
}));

/** A page of one question's answers; before release not even the count (total null). */
const answersView = z.object({
  trainingId: z.string(),
  question: z.string(),
  releasedAt: z.nullable(instant),
  total: z.nullable(count),
  withheld: z.boolean(),
  items: z.array(z.string()),
  nextCursor: z.optional(z.string()),
});

const spreadsheets = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

export const feedbackResponses = {
  feedbackForm: { success: { 200: replyAs<FeedbackFormView>()('The form in the reader’s language and whether it is open.', form) }, errors: [404] },
  closeFeedback: { success: { 200: replyAs<FeedbackSummaryView>()('The released summary.', summary) }, errors: [404, 409] },
  feedbackAnswers: { success: { 200: replyAs<AnswersView>()('A page of one question’s answers, sorted; before release, none and no count.', answersView) }, errors: [404, 409] },
  submitFeedback: { success: { 201: reply('The anonymous response is counted.', z.object({ trainingId: z.string(), status: z.literal('submitted') })) }, errors: [404, 409] },
  feedbackSummary: {
    success: { 200: replyAs<FeedbackSummaryView>()('The summary (JSON), or every answer as a spreadsheet (format=csv|xlsx).', summary, spreadsheets) },
    errors: [404],
  },
} satisfies Record<string, RouteResponses>;
