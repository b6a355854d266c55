/**
 * The follow-up impact survey's texts, from config/follow-up-survey.json (kk/ru/en), edited there
 * without touching code. The ids (ratings, questions, answer options, forms of passing on) are
 * fixed here because they are the API's field names and the keys of stored responses and released
 * tallies; the file must give a text in every language for each of them and nothing else, or the
 * check of the config files fails (shared/config/files.ts) — a broken edit fails the deployment,
 * `npm start` and the unit tests, never a teacher's request.
 */
import * as z from '../schemas/zod';
import surveyFile from '../../config/follow-up-survey.json' with { type: 'json' };
import type { Language } from '../locale/language';
import { RATING_MAX, RATING_MIN } from './feedback-form';

export const surveyRatingIds = ['usefulness', 'confidence', 'support'] as const;
export type SurveyRatingId = (typeof surveyRatingIds)[number];

export const surveyQuestionIds = ['applicationHow', 'schoolChange', 'passedOn'] as const;
export type SurveyQuestionId = (typeof surveyQuestionIds)[number];

/** "Have you applied it?": `yes` and `partly` count as applied in the reports. */
export const appliedOptions = ['yes', 'partly', 'not_yet'] as const;
export type AppliedOption = (typeof appliedOptions)[number];

/** How what was learned was passed on to colleagues beyond formal trainings. */
export const passedOnForms = ['mentoring', 'workshop', 'open_lesson', 'lesson_study', 'materials', 'other'] as const;
export type PassedOnForm = (typeof passedOnForms)[number];

/** The file's schema, built only where the file is checked (shared/config/files.ts), never at a cold start. */
function surveySchema() {
  const text = z.string().check(z.trim(), z.minLength(1), z.maxLength(1000));
  const localized = z.strictObject({ kk: text, ru: text, en: text });
  const exactly = <K extends string>(ids: readonly K[]) => z.strictObject(Object.fromEntries(ids.map((id) => [id, localized])) as Record<K, typeof localized>);
  return z.strictObject({
    intro: localized,
    /** What the trainer and the coordinator see and when; `{minimum}` is replaced by the deployment's minimum. */
    privacy: localized,
    scale: z.strictObject({ min: localized, max: localized }),
    applied: z.strictObject({ question: localized, options: exactly(appliedOptions) }),
    ratings: exactly(surveyRatingIds),
    questions: exactly(surveyQuestionIds),
    colleagues: localized,
    forms: z.strictObject({ question: localized, options: exactly(passedOnForms) }),
    candidate: z.strictObject({ label: localized, note: localized }),
  });
}

export type SurveyConfig = z.infer<ReturnType<typeof surveySchema>>;

export function parseSurveyConfig(value: unknown): SurveyConfig {
  return surveySchema().parse(value);
}

/** As bundled: checked where the code is built (shared/config/files.ts), so a broken edit fails the deployment, not a request. */
export const followUpSurvey: SurveyConfig = surveyFile;

export interface LocalizedSurvey {
  language: Language;
  intro: string;
  privacy: string;
  scale: { min: number; max: number; minLabel: string; maxLabel: string };
  applied: { question: string; options: { id: AppliedOption; label: string }[] };
  ratings: { id: SurveyRatingId; label: string }[];
  questions: { id: SurveyQuestionId; text: string }[];
  colleagues: string;
  forms: { question: string; options: { id: PassedOnForm; label: string }[] };
  candidate: { label: string; note: string };
}

/** The survey in one language, in the order it is asked. */
export function surveyIn(language: Language, minimumResponses: number, survey: SurveyConfig = followUpSurvey): LocalizedSurvey {
  return {
    language,
    intro: survey.intro[language],
    privacy: survey.privacy[language].replaceAll('{minimum}', String(minimumResponses)),
    scale: { min: RATING_MIN, max: RATING_MAX, minLabel: survey.scale.min[language], maxLabel: survey.scale.max[language] },
    applied: {
      question: survey.applied.question[language],
      options: appliedOptions.map((id) => ({ id, label: survey.applied.options[id][language] })),
    },
    ratings: surveyRatingIds.map((id) => ({ id, label: survey.ratings[id][language] })),
    questions: surveyQuestionIds.map((id) => ({ id, text: survey.questions[id][language] })),
    colleagues: survey.colleagues[language],
    forms: { question: survey.forms.question[language], options: passedOnForms.map((id) => ({ id, label: survey.forms.options[id][language] })) },
    candidate: { label: survey.candidate.label[language], note: survey.candidate.note[language] },
  };
}
