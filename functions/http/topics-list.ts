import { defineRoute } from '../../shared/http/route';
import { listTopicsRequest } from '../../shared/api/topics';
import { listTopicsRoute } from '../../shared/manifest';
import { listTopics } from '../../shared/usecases/topics';

export const handler = defineRoute(listTopicsRoute, listTopicsRequest, async () => ({
  status: 200,
  body: { items: await listTopics() },
  // A rename shows within a minute; the training form reads the list on every open.
  headers: { 'cache-control': 'public, max-age=60' },
}));
