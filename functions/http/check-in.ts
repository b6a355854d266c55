import { defineRoute } from '../../shared/http/route';
import { checkInRequest } from '../../shared/api/attendance';
import { checkInRoute } from '../../shared/manifest';
import { checkIn } from '../../shared/usecases/attendance';

export const handler = defineRoute(checkInRoute, checkInRequest, async ({ principal, body }) => ({
  status: 200,
  body: await checkIn(principal, body.code),
}));
