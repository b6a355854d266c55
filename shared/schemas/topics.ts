import * as z from './zod';
import { TOPIC_ID_MAX_LENGTH, TOPIC_ID_PATTERN } from '../config/topics';

/** A topic is named by its id; the names are for people and may change. */
export const topicIdSchema = z
  .string({ error: 'must be a topic id from GET /api/topics' })
  .check(
    z.maxLength(TOPIC_ID_MAX_LENGTH, { error: 'is not a topic id; use an id from GET /api/topics' }),
    z.regex(TOPIC_ID_PATTERN, { error: 'is not a topic id; use an id from GET /api/topics' }),
  );

const topicName = z
  .string({ error: 'must be text' })
  .check(z.trim(), z.minLength(1, { error: 'must not be empty' }), z.maxLength(100, { error: 'must be at most 100 characters' }));

export const createTopicSchema = z.strictObject({
  name: z.strictObject({ kk: topicName, ru: topicName, en: topicName }, { error: 'must give the name in kk, ru and en' }),
});
export type CreateTopicInput = z.infer<typeof createTopicSchema>;

export const renameTopicSchema = z.strictObject({
  name: z
    .strictObject({ kk: z.optional(topicName), ru: z.optional(topicName), en: z.optional(topicName) }, { error: 'must give the new name in kk, ru or en' })
    .check(z.refine((name) => Boolean(name.kk ?? name.ru ?? name.en), { error: 'send at least one of kk, ru or en' })),
});
export type RenameTopicInput = z.infer<typeof renameTopicSchema>;

export const topicParams = z.strictObject({ id: topicIdSchema });
