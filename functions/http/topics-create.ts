import { defineRoute } from '../../shared/http/route';
import { createTopicRequest } from '../../shared/api/topics';
import { createTopicRoute } from '../../shared/manifest';
import { addTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(createTopicRoute, createTopicRequest, async ({ principal, body }) => {
  const topic = await addTopic(principal, body);
  return { status: 201, body: topic, headers: { location: `/api/topics/${topic.id}` } };
});
