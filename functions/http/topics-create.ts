import { defineRoute } from '../../shared/http/route';
import { topicsApi } from '../../shared/api/topics';
import { createTopicRoute } from '../../shared/manifest';
import { addTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(createTopicRoute, topicsApi.createTopic, async ({ principal, body }) => {
  const topic = await addTopic(principal, body);
  return { status: 201, body: topic, headers: { location: `/api/topics/${topic.id}` } };
});
