import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { createTopicSchema } from '../../shared/schemas/topics';
import { addTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(routes.createTopic, { body: createTopicSchema }, async ({ principal, body }) => {
  const topic = await addTopic(principal, body);
  return { status: 201, body: topic, headers: { location: `/api/topics/${topic.id}` } };
});
