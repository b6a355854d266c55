import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { sessionParams, teamsReportBodySchema } from '../../shared/schemas/attendance';
import { importTeamsReport } from '../../shared/usecases/attendance';

export const handler = defineRoute(
  routes.importTeamsReport,
  { params: sessionParams, body: teamsReportBodySchema },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await importTeamsReport(principal, params.id, params.sessionId, body),
  }),
);
