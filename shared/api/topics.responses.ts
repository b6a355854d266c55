import * as z from '../schemas/zod';
import { localizedFull, named, reply, type RouteResponses } from './reply';

export const topicSchema = named('Topic', z.object({ id: z.string(), name: localizedFull, seeded: z.boolean() }));

export const topicsResponses = {
  listTopics: { success: { 200: reply('The topic vocabulary.', z.object({ items: z.array(topicSchema) })) }, errors: [] },
  createTopic: { success: { 201: reply('The new topic, with the id the server made.', topicSchema) }, errors: [409] },
  renameTopic: { success: { 200: reply('The topic with its new name.', topicSchema) }, errors: [404, 409] },
} satisfies Record<string, RouteResponses>;
