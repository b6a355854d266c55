import { cascadeSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { cascadeReportRequest } from '../../shared/api/reports';
import { cascadeReportRoute } from '../../shared/manifest';
import { cascadeReport } from '../../shared/usecases/reports';

export const handler = defineRoute(
  cascadeReportRoute,
  cascadeReportRequest,
  async ({ principal, params, query }) => {
    const report = await cascadeReport(principal, params.trainingId, {
      limit: query.limit,
      ...(query.depth !== undefined ? { depth: query.depth } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return reportResponse(query.format, report, () => cascadeSheets(report), `cascade-${params.trainingId}`);
  },
);
