import { defineRoute } from '../../shared/http/route';
import { attendanceApi } from '../../shared/api/attendance';
import { routes } from '../../shared/manifest';
import { checkIn } from '../../shared/usecases/attendance';

export const handler = defineRoute(routes.checkIn, attendanceApi.checkIn, async ({ principal, body }) => ({
  status: 200,
  body: await checkIn(principal, body.code),
}));
