import * as z from './zod';
import { englishCount } from '../locale/language';
import { questionIds, ratingIds, RATING_MAX, RATING_MIN, type QuestionId, type RatingId } from '../config/feedback-form';
import { cursorSchema, languageSchema, onlyFields } from './common';

/** Long enough for a considered answer (about two pages), short enough to keep an item small. */
export const ANSWER_MAX_LENGTH = 5_000;

const ratingMessage = { error: `must be a whole number from ${RATING_MIN} to ${RATING_MAX}` };
const ratingSchema = z.number(ratingMessage).check(z.int(ratingMessage), z.gte(RATING_MIN, ratingMessage), z.lte(RATING_MAX, ratingMessage));

/**
 * An open answer: trimmed, NFC (a Kazakh letter typed as base + combining mark equals the
 * precomposed one), Windows line ends made \n, control characters other than newline and tab
 * dropped. Blank means "not answered" and is stored as no answer at all.
 */
export function normalizeAnswerText(answer: string): string {
  return (
    answer
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
      .trim()
  );
}

const answerSchema = z.pipe(
  z.pipe(z.string({ error: 'must be text' }), z.transform(normalizeAnswerText)),
  z.string().check(z.maxLength(ANSWER_MAX_LENGTH, { error: `must be at most ${englishCount(ANSWER_MAX_LENGTH)} characters` })),
);

function unknownKeys(allowed: readonly string[]) {
  return onlyFields(`only ${allowed.join(', ')}`);
}

const ratingsSchema = z.strictObject(
  Object.fromEntries(ratingIds.map((id) => [id, ratingSchema])) as Record<RatingId, typeof ratingSchema>,
  { error: (issue) => unknownKeys(ratingIds)(issue) ?? `must be an object with the ratings ${ratingIds.join(', ')}` },
);

const answersSchema = z.pipe(
  z.strictObject(
    Object.fromEntries(questionIds.map((id) => [id, z.optional(answerSchema)])) as Record<QuestionId, z.ZodMiniOptional<typeof answerSchema>>,
    { error: (issue) => unknownKeys(questionIds)(issue) ?? `must be an object with the answers ${questionIds.join(', ')}` },
  ),
  z.transform((answers: Partial<Record<QuestionId, string | undefined>>) => {
    const given: Partial<Record<QuestionId, string>> = {};
    for (const id of questionIds) {
      const answer = answers[id];
      if (answer) given[id] = answer;
    }
    return given;
  }),
);

/**
 * The submitted form. Every rating is required (a summary of ratings is only fair when each
 * response rates everything); the open questions are optional — nobody should be made to invent
 * an answer — and `answers` may be left out altogether.
 */
export const submitFeedbackSchema = z.strictObject(
  {
    ratings: ratingsSchema,
    answers: z.pipe(
      z.optional(answersSchema),
      z.transform((answers: Partial<Record<QuestionId, string>> | undefined) => answers ?? {}),
    ),
  },
  { error: unknownKeys(['ratings', 'answers']) },
);
export type SubmitFeedbackBody = z.infer<typeof submitFeedbackSchema>;

/**
 * One response as stored: the training and what was said, and nothing about who said it or when
 * (no email, account, registration, name, language or timestamp).
 */
export interface FeedbackResponse {
  trainingId: string;
  ratings: Record<RatingId, number>;
  answers: Partial<Record<QuestionId, string>>;
}

export const feedbackFormQuery = z.object({
  /** The form's language; the training's language by default. */
  lang: z.optional(languageSchema),
});

export const feedbackSummaryQuery = z.object({
  format: z._default(z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }), 'json'),
  /** Language of the labels and of a file's headings; the training's language by default. */
  lang: z.optional(languageSchema),
});
export type FeedbackSummaryQuery = z.infer<typeof feedbackSummaryQuery>;

export const feedbackAnswersQuery = z.object({
  question: z.enum(questionIds, { error: `must be one of ${questionIds.join(', ')}` }),
  // Sealed by the route layer (shared/http/cursors.ts); the use case reads what is inside.
  cursor: z.optional(cursorSchema),
});
export type FeedbackAnswersQuery = z.infer<typeof feedbackAnswersQuery>;
