import { regionSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { regionReportRequest } from '../../shared/api/reports';
import { regionReportRoute } from '../../shared/manifest';
import { regionReport } from '../../shared/usecases/reports';

export const handler = defineRoute(
  regionReportRoute,
  regionReportRequest,
  async ({ principal, params, query }) => {
    const report = await regionReport(principal, params.region, {
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    });
    return reportResponse(query.format, report, () => regionSheets(report), `region-${report.region}-${report.from}-${report.to}`);
  },
);
