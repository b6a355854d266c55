import { regions } from '../../shared/config/regions';
import { defineRoute } from '../../shared/http/route';
import { listRegionsRequest } from '../../shared/api/public';
import { listRegionsRoute } from '../../shared/manifest';

export const handler = defineRoute(listRegionsRoute, listRegionsRequest, async () => ({
  status: 200,
  body: { items: regions.map(({ id, code, kind, name }) => ({ id, code, kind, name })) },
  headers: { 'cache-control': 'public, max-age=3600' },
}));
