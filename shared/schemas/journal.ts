import * as z from './zod';
import { englishCount } from '../locale/language';
import { cursorSchema, idSchema, languageSchema } from './common';

/** One entry's text: long enough for a real reflection, short enough for one DynamoDB item. */
export const JOURNAL_TEXT_MAX = 20_000;
export const JOURNAL_TITLE_MAX = 300;
export const JOURNAL_COMMENT_MAX = 5_000;
export const JOURNAL_PROMPT_MAX = 1_000;
export const TRAINER_PROMPTS_MAX = 20;

/** Required text, trimmed, within `max` characters (`shown`: the limit as the message writes it). */
function requiredText(max: number, shown = String(max)) {
  return z
    .string({ error: 'must be a text' })
    .check(z.trim(), z.minLength(1, { error: 'must not be empty' }), z.maxLength(max, { error: `must be at most ${shown} characters` }));
}

const title = requiredText(JOURNAL_TITLE_MAX);
const text = requiredText(JOURNAL_TEXT_MAX, englishCount(JOURNAL_TEXT_MAX));
const prompt = requiredText(JOURNAL_PROMPT_MAX);

export const createJournalEntrySchema = z
  .strictObject({
    title,
    text,
    language: languageSchema,
    trainingId: z.optional(idSchema),
    sessionId: z.optional(idSchema),
    /** The prompt the entry answers, as the author saw it. */
    prompt: z.optional(prompt),
  })
  .check(z.refine((entry) => !entry.sessionId || entry.trainingId, { error: 'needs trainingId as well', path: ['sessionId'] }));
export type CreateJournalEntryInput = z.infer<typeof createJournalEntrySchema>;

/** Any subset; `null` clears an optional link or the prompt. */
export const updateJournalEntrySchema = z
  .partial(
    z.strictObject({
      title,
      text,
      language: languageSchema,
      trainingId: z.nullable(idSchema),
      sessionId: z.nullable(idSchema),
      prompt: z.nullable(prompt),
    }),
  )
  .check(z.refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' }));
export type UpdateJournalEntryInput = z.infer<typeof updateJournalEntrySchema>;

export const journalEntryParams = z.strictObject({ entryId: idSchema });
export const journalTrainingParams = z.strictObject({ trainingId: idSchema });
export const trainerJournalEntryParams = z.strictObject({ id: idSchema, entryId: idSchema });

export const shareSchema = z.strictObject({ shared: z.boolean({ error: 'must be true or false' }) });

export const commentSchema = z.strictObject({
  text: requiredText(JOURNAL_COMMENT_MAX, englishCount(JOURNAL_COMMENT_MAX)),
});

const localizedPrompt = z
  .strictObject({ kk: z.optional(prompt), ru: z.optional(prompt), en: z.optional(prompt) })
  .check(z.refine((value) => Boolean(value.kk ?? value.ru ?? value.en), { error: 'needs at least one of kk, ru or en' }));
export type LocalizedPrompt = z.infer<typeof localizedPrompt>;

export const trainerPromptsSchema = z.strictObject({
  prompts: z.array(localizedPrompt).check(z.maxLength(TRAINER_PROMPTS_MAX, { error: `must have at most ${TRAINER_PROMPTS_MAX} prompts` })),
});

export const journalPromptsQuery = z.object({ trainingId: z.optional(idSchema), lang: z.optional(languageSchema) });

export const journalListQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(cursorSchema),
});

export const journalExportQuery = z.object({
  format: z._default(z.enum(['md', 'pdf'], { error: 'must be md or pdf' }), 'md'),
  lang: z.optional(languageSchema),
});
