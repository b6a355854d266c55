import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { sessionParams } from '../../shared/schemas/attendance';
import { issueCode } from '../../shared/usecases/attendance';

export const handler = defineRoute(routes.issueCheckInCode, { params: sessionParams }, async ({ principal, params }) => ({
  status: 200,
  body: await issueCode(principal, params.id, params.sessionId),
  // A code is valid for a minute or two; no cache may keep it longer.
  headers: { 'cache-control': 'no-store' },
}));
