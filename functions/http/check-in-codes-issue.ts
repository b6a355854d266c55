import { defineRoute } from '../../shared/http/route';
import { issueCheckInCodeRequest } from '../../shared/api/attendance';
import { issueCheckInCodeRoute } from '../../shared/manifest';
import { issueCode } from '../../shared/usecases/attendance';

export const handler = defineRoute(issueCheckInCodeRoute, issueCheckInCodeRequest, async ({ principal, params }) => ({
  status: 200,
  body: await issueCode(principal, params.id, params.sessionId),
  // A code is valid for a minute or two; no cache may keep it longer.
  headers: { 'cache-control': 'no-store' },
}));
