import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { renameTopicSchema, topicParams } from '../../shared/schemas/topics';
import { renameTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(
  routes.renameTopic,
  { params: topicParams, body: renameTopicSchema },
  async ({ principal, params, body }) => ({ status: 200, body: await renameTopic(principal, params.id, body) }),
);
