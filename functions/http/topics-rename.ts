import { defineRoute } from '../../shared/http/route';
import { renameTopicRequest } from '../../shared/api/topics';
import { renameTopicRoute } from '../../shared/manifest';
import { renameTopic } from '../../shared/usecases/topics';

export const handler = defineRoute(
  renameTopicRoute,
  renameTopicRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await renameTopic(principal, params.id, body) }),
);
