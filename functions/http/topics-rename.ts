import { defineRoute } from '../../shared/http/route';
import { topicsApi } from '../../shared/api/topics';
import { renameTopicRoute } from '../../shared/manifest';
import { renameTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(
  renameTopicRoute,
  topicsApi.renameTopic,
  async ({ principal, params, body }) => ({ status: 200, body: await renameTopic(principal, params.id, body) }),
);
