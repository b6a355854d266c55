import { reportResponse, regionsSheets } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { regionsReportQuery } from '../../shared/schemas/reports';
import { regionsReport } from '../../shared/usecases/reports';

export const handler = defineRoute(routes.regionsReport, { query: regionsReportQuery }, async ({ principal, query }) => {
  const report = await regionsReport(principal);
  return reportResponse(query.format, report, () => regionsSheets(report), 'regions');
});
