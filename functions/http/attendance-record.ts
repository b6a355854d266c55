import { defineRoute } from '../../shared/http/route';
import { recordAttendanceRequest } from '../../shared/api/attendance';
import { recordAttendanceRoute } from '../../shared/manifest';
import { recordAttendance } from '../../shared/usecases/attendance';

export const handler = defineRoute(
  recordAttendanceRoute,
  recordAttendanceRequest,
  async ({ principal, params, body }) => ({
    status: 200,
    body: await recordAttendance(principal, params.id, params.sessionId, body),
  }),
);
