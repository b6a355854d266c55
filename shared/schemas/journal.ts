import * as z from 'zod';
import { cursorSchema, idSchema, languageSchema } from './common';

/** One entry's text: long enough for a real reflection, short enough for one DynamoDB item. */
export const JOURNAL_TEXT_MAX = 20_000;
export const JOURNAL_TITLE_MAX = 300;
export const JOURNAL_COMMENT_MAX = 5_000;
export const JOURNAL_PROMPT_MAX = 1_000;
export const TRAINER_PROMPTS_MAX = 20;

const title = z
  .string({ error: 'must be a text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(JOURNAL_TITLE_MAX, { error: `must be at most ${JOURNAL_TITLE_MAX} characters` });
const text = z
  .string({ error: 'must be a text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(JOURNAL_TEXT_MAX, { error: `must be at most ${JOURNAL_TEXT_MAX.toLocaleString('en-US')} characters` });
const prompt = z
  .string({ error: 'must be a text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(JOURNAL_PROMPT_MAX, { error: `must be at most ${JOURNAL_PROMPT_MAX} characters` });

export const createJournalEntrySchema = z
  .strictObject({
    title,
    text,
    language: languageSchema,
    trainingId: idSchema.optional(),
    sessionId: idSchema.optional(),
    /** The prompt the entry answers, as the author saw it. */
    prompt: prompt.optional(),
  })
  .refine((entry) => !entry.sessionId || entry.trainingId, { error: 'needs trainingId as well', path: ['sessionId'] });
export type CreateJournalEntryInput = z.infer<typeof createJournalEntrySchema>;

/** Any subset; `null` clears an optional link or the prompt. */
export const updateJournalEntrySchema = z
  .strictObject({
    title,
    text,
    language: languageSchema,
    trainingId: idSchema.nullable(),
    sessionId: idSchema.nullable(),
    prompt: prompt.nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });
export type UpdateJournalEntryInput = z.infer<typeof updateJournalEntrySchema>;

export const journalEntryParams = z.strictObject({ entryId: idSchema });
export const journalTrainingParams = z.strictObject({ trainingId: idSchema });
export const trainerJournalEntryParams = z.strictObject({ id: idSchema, entryId: idSchema });

export const shareSchema = z.strictObject({ shared: z.boolean({ error: 'must be true or false' }) });

export const commentSchema = z.strictObject({
  text: z
    .string({ error: 'must be a text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(JOURNAL_COMMENT_MAX, { error: `must be at most ${JOURNAL_COMMENT_MAX.toLocaleString('en-US')} characters` }),
});

const localizedPrompt = z
  .strictObject({ kk: prompt.optional(), ru: prompt.optional(), en: prompt.optional() })
  .refine((value) => Boolean(value.kk ?? value.ru ?? value.en), { error: 'needs at least one of kk, ru or en' });
export type LocalizedPrompt = z.infer<typeof localizedPrompt>;

export const trainerPromptsSchema = z.strictObject({
  prompts: z.array(localizedPrompt).max(TRAINER_PROMPTS_MAX, { error: `must have at most ${TRAINER_PROMPTS_MAX} prompts` }),
});

export const journalPromptsQuery = z.object({ trainingId: idSchema.optional(), lang: languageSchema.optional() });

export const journalListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorSchema.optional(),
});

export const journalExportQuery = z.object({
  format: z.enum(['md', 'pdf'], { error: 'must be md or pdf' }).default('md'),
  lang: languageSchema.optional(),
});
