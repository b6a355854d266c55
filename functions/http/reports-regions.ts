import { reportResponse, regionsSheets } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { regionsReportRequest } from '../../shared/api/reports';
import { regionsReportRoute } from '../../shared/manifest';
import { regionsReport } from '../../shared/usecases/reports';

export const handler = defineRoute(regionsReportRoute, regionsReportRequest, async ({ principal, query }) => {
  const report = await regionsReport(principal);
  return reportResponse(query.format, report, () => regionsSheets(report), 'regions');
});
