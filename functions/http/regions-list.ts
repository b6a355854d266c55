import { regions } from '../../shared/config/regions';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';

export const handler = defineRoute(routes.listRegions, {}, async () => ({
  status: 200,
  body: { items: regions.map(({ id, code, kind, name }) => ({ id, code, kind, name })) },
  headers: { 'cache-control': 'public, max-age=3600' },
}));
