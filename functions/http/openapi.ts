import { openApiDocumentRequest } from '../../shared/api/public';
import { defineRoute } from '../../shared/http/route';
import { openApiDocumentRoute } from '../../shared/manifest';
// The generated document, not the generator: this bundle carries no zod and no schemas.
import document from '../../openapi/openapi.json';

export const handler = defineRoute(openApiDocumentRoute, openApiDocumentRequest, async () => ({
  status: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
