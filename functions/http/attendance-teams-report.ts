import { defineRoute } from '../../shared/http/route';
import { importTeamsReportRequest } from '../../shared/api/attendance';
import { importTeamsReportRoute } from '../../shared/manifest';
import { importTeamsReport } from '../../shared/usecases/attendance';

export const handler = defineRoute(
  importTeamsReportRoute,
  importTeamsReportRequest,
  async ({ principal, params, body }) => ({
    status: 200,
    body: await importTeamsReport(principal, params.id, params.sessionId, body),
  }),
);
