import { createTopicSchema, renameTopicSchema, topicParams } from '../schemas/topics';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const listTopicsRequest = {} satisfies RouteSpec;
export const createTopicRequest = { body: createTopicSchema } satisfies RouteSpec;
export const renameTopicRequest = { params: topicParams, body: renameTopicSchema } satisfies RouteSpec;

export const topicsApi = {
  listTopics: listTopicsRequest,
  createTopic: createTopicRequest,
  renameTopic: renameTopicRequest,
} satisfies AreaRequests;
