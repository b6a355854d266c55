import * as z from './zod';
import { appliedOptions, passedOnForms, surveyQuestionIds, surveyRatingIds, type SurveyQuestionId, type SurveyRatingId } from '../config/follow-up-survey';
import { RATING_MAX, RATING_MIN } from '../config/feedback-form';
import { SURVEY_ID_PATTERN } from '../domain/survey';
import { ANSWER_MAX_LENGTH, normalizeAnswerText } from './feedback';
import { englishCount, languages } from '../locale/language';
import { findRegion } from '../config/regions';

/** The colleagues a teacher says they reached: a school's staff, not a district's. */
export const COLLEAGUES_MAX = 1000;

const ratingError = `must be a whole number from ${RATING_MIN} to ${RATING_MAX}`;
const rating = z.int({ error: ratingError }).check(z.gte(RATING_MIN, { error: ratingError }), z.lte(RATING_MAX, { error: ratingError }));

/** An open answer, normalised like feedback's (NFC, \n, no control characters, trimmed); blank is no answer. */
const answer = z.pipe(
  z.string({ error: 'must be text' }),
  z.pipe(
    z.transform(normalizeAnswerText),
    z.string().check(z.maxLength(ANSWER_MAX_LENGTH, { error: `must be at most ${englishCount(ANSWER_MAX_LENGTH)} characters` })),
  ),
);

function only(allowed: readonly string[]) {
  return (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys?.join(', ')}; send only ${allowed.join(', ')}` : undefined;
}

const ratings = z.strictObject(Object.fromEntries(surveyRatingIds.map((id) => [id, rating])) as Record<SurveyRatingId, typeof rating>, {
  error: (issue) => only(surveyRatingIds)(issue) ?? `must be an object with the ratings ${surveyRatingIds.join(', ')}`,
});

const answers = z.strictObject(
  Object.fromEntries(surveyQuestionIds.map((id) => [id, z.optional(answer)])) as Record<SurveyQuestionId, z.ZodMiniOptional<typeof answer>>,
  { error: (issue) => only(surveyQuestionIds)(issue) ?? `must be an object with the answers ${surveyQuestionIds.join(', ')}` },
);

const answersPart = z.strictObject(
  {
    part: z.literal('answers'),
    applied: z.enum(appliedOptions, { error: `must be one of ${appliedOptions.join(', ')}` }),
    ratings,
    colleagues: z.int({ error: `must be a whole number from 0 to ${COLLEAGUES_MAX}` }).check(
      z.gte(0, { error: `must be a whole number from 0 to ${COLLEAGUES_MAX}` }),
      z.lte(COLLEAGUES_MAX, { error: `must be at most ${COLLEAGUES_MAX}` }),
    ),
    forms: z._default(
      z.array(z.enum(passedOnForms, { error: `must be one of ${passedOnForms.join(', ')}` })).check(
        z.maxLength(passedOnForms.length, { error: `must list each form at most once (${passedOnForms.length} in all)` }),
        z.refine((forms) => new Set(forms).size === forms.length, { error: 'must list each form at most once' }),
      ),
      [],
    ),
    answers: z._default(answers, {}),
  },
  { error: only(['part', 'applied', 'ratings', 'colleagues', 'forms', 'answers']) },
);

/** The named opt-in, sent on its own: it is not part of the anonymous answers. */
const candidatePart = z.strictObject(
  { part: z.literal('candidate'), wouldTrain: z.boolean({ error: 'must be true or false' }) },
  { error: only(['part', 'wouldTrain']) },
);

export const surveyAnswerSchema = z.discriminatedUnion('part', [answersPart, candidatePart], {
  error: 'must be {part: "answers", …} (the anonymous answers) or {part: "candidate", wouldTrain} (the named opt-in)',
});
export type SurveyAnswerBody = z.infer<typeof surveyAnswerSchema>;
export type SurveyAnswersPart = Extract<SurveyAnswerBody, { part: 'answers' }>;

export const surveyParams = z.strictObject({
  surveyId: z.string().check(z.regex(SURVEY_ID_PATTERN, { error: 'is not a survey id from a survey email' })),
});

const language = z.enum(languages, { error: 'must be one of kk, ru, en' });

export const surveyFormQuery = z.object({ lang: z.optional(language) });

const region = z.string({ error: 'must be a region id from GET /api/regions' }).check(
  z.refine((id) => findRegion(id) !== undefined, { error: 'is not a known region; use an id from GET /api/regions' }),
);
const month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM, e.g. 2026-03' }));
const format = z._default(z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }), 'json');

export const surveyReportQuery = z.object({ region: z.optional(region), from: z.optional(month), to: z.optional(month), format }).check(
  z.refine((query) => !query.from || !query.to || query.from <= query.to, { error: 'must not be after to', path: ['from'] }),
);

export const surveyCandidatesQuery = z.object({ region: z.optional(region), format });
