import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { putAttendanceBodySchema, sessionParams } from '../../shared/schemas/attendance';
import { recordAttendance } from '../../shared/usecases/attendance';

export const handler = defineRoute(
  routes.recordAttendance,
  { params: sessionParams, body: putAttendanceBodySchema },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await recordAttendance(principal, params.id, params.sessionId, body),
  }),
);
