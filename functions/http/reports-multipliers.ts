import { multipliersSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { multipliersReportRequest } from '../../shared/api/reports';
import { multipliersReportRoute } from '../../shared/manifest';
import { multipliersReport } from '../../shared/usecases/reports';

export const handler = defineRoute(multipliersReportRoute, multipliersReportRequest, async ({ principal, query }) => {
  const report = await multipliersReport(principal, {
    limit: query.limit,
    ...(query.region ? { region: query.region } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return reportResponse(query.format, report, () => multipliersSheets(report), `multipliers-${report.items[0]?.region ?? query.region ?? 'region'}`);
});
