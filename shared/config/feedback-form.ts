/**
 * The feedback form's texts, from config/feedback-form.json: a centre edits the wording there
 * (kk/ru/en) without touching code. The rating and question ids are fixed here, because they are
 * the API's field names and the keys of stored responses; the file must give a text in every
 * language for each of them, and nothing else, or the check of the config files fails
 * (shared/config/files.ts) — so a broken edit fails the deployment, `npm start` and the unit tests,
 * never a participant's request.
 */
import * as z from '../schemas/zod';
import formFile from '../../config/feedback-form.json' with { type: 'json' };
import type { Language } from '../locale/language';

export const ratingIds = ['overall', 'relevance', 'trainer', 'materials', 'recommend'] as const;
export type RatingId = (typeof ratingIds)[number];

/** The six open questions of the programme's post-training interview. */
export const questionIds = ['influence', 'change', 'sustain', 'benefits', 'challenges', 'unique'] as const;
export type QuestionId = (typeof questionIds)[number];

export const RATING_MIN = 1;
export const RATING_MAX = 5;

function exactly<K extends string, T extends z.ZodMiniType>(ids: readonly K[], value: T) {
  return z.strictObject(Object.fromEntries(ids.map((id) => [id, value])) as Record<K, T>);
}

/** The file's schema, built only where the file is checked (shared/config/files.ts), never at a cold start. */
function formSchema() {
  const text = z.string().check(z.trim(), z.minLength(1), z.maxLength(1000));
  const localized = z.strictObject({ kk: text, ru: text, en: text });
  const scale = z.strictObject({ min: localized, max: localized });
  return z.strictObject({
    intro: localized,
    scale,
    ratings: exactly(ratingIds, z.extend(localized, { scale: z.optional(scale) })),
    questions: exactly(questionIds, localized),
  });
}

export type FeedbackFormConfig = z.infer<ReturnType<typeof formSchema>>;

export function parseFeedbackForm(value: unknown): FeedbackFormConfig {
  return formSchema().parse(value);
}

/** As bundled: checked where the code is built (shared/config/files.ts), so a broken edit fails the deployment, not a request. */
export const feedbackForm = formFile as FeedbackFormConfig;

export interface LocalizedForm {
  language: Language;
  intro: string;
  scale: { min: number; max: number; minLabel: string; maxLabel: string };
  ratings: { id: RatingId; label: string; minLabel: string; maxLabel: string }[];
  questions: { id: QuestionId; text: string }[];
}

/** The form in one language, in the order the questions are asked. */
export function formIn(language: Language, form: FeedbackFormConfig = feedbackForm): LocalizedForm {
  return {
    language,
    intro: form.intro[language],
    scale: { min: RATING_MIN, max: RATING_MAX, minLabel: form.scale.min[language], maxLabel: form.scale.max[language] },
    ratings: ratingIds.map((id) => {
      const rating = form.ratings[id];
      const ownScale = rating.scale ?? form.scale;
      return { id, label: rating[language], minLabel: ownScale.min[language], maxLabel: ownScale.max[language] };
    }),
    questions: questionIds.map((id) => ({ id, text: form.questions[id][language] })),
  };
}
