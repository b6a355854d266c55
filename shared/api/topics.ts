import { createTopicSchema, renameTopicSchema, topicParams } from '../schemas/topics';
import type { AreaRequests } from './contract';

export const topicsApi = {
  listTopics: {},
  createTopic: { body: createTopicSchema },
  renameTopic: { params: topicParams, body: renameTopicSchema },
} satisfies AreaRequests;
