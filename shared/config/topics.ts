/**
 * The topics a training can have: a controlled vocabulary, seeded from config/topics.json and
 * extended by admins through the API (usecases/topics). A topic id is part of aggregate attribute
 * names (`{counter}|{level}|{topic}`), so ids come from here or from the server, never from what a
 * trainer types, and the shape below can hold no separator.
 */
import * as z from '../schemas/zod';
import topicsFile from '../../config/topics.json' with { type: 'json' };

/** Lower-case words joined by hyphens, at most 32 characters: no `|`, no space, no key separator. */
export const TOPIC_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const TOPIC_ID_MAX_LENGTH = 32;
/**
 * Seeded and added topics together. With 11 counters × 3 levels per topic, the all-time item of a
 * region stays under 100 KB even if every topic is used at every level (test/unit/aggregate-size).
 */
export const MAX_TOPICS = 50;
/** The topic a migrated free-text topic falls back to when no topic matches it (scripts/migrate-topics). */
export const FALLBACK_TOPIC_ID = 'other';

export function isTopicId(value: string): boolean {
  return value.length <= TOPIC_ID_MAX_LENGTH && TOPIC_ID_PATTERN.test(value);
}

/** The file's schema, built only where the file is checked (shared/config/files.ts), never at a cold start. */
function topicsFileSchema() {
  const nameText = z.string().check(z.minLength(1));
  const localizedName = z.object({ kk: nameText, ru: nameText, en: nameText });
  const topic = z.object({
    id: z.string().check(z.maxLength(TOPIC_ID_MAX_LENGTH), z.regex(TOPIC_ID_PATTERN)),
    name: localizedName,
  });
  return z.object({ topics: z.array(topic).check(z.minLength(1), z.maxLength(MAX_TOPICS)) }).check(
    z.refine((file) => new Set(file.topics.map((entry) => entry.id)).size === file.topics.length, { error: 'topic ids must be unique' }),
    z.refine((file) => file.topics.some((entry) => entry.id === FALLBACK_TOPIC_ID), { error: `needs the fallback topic "${FALLBACK_TOPIC_ID}"` }),
  );
}

export type Topic = z.infer<ReturnType<typeof topicsFileSchema>>['topics'][number];

export function parseTopicsFile(value: unknown): z.infer<ReturnType<typeof topicsFileSchema>> {
  return topicsFileSchema().parse(value);
}

/** As bundled: checked where the code is built (shared/config/files.ts), so a broken edit fails the deployment, not a request. */
export const seededTopics = topicsFile.topics as readonly Topic[];

const seededById = new Map(seededTopics.map((topic) => [topic.id, topic]));

export function findSeededTopic(id: string): Topic | undefined {
  return seededById.get(id);
}
