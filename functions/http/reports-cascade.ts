import { cascadeSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { cascadeReportParams, cascadeReportQuery } from '../../shared/schemas/reports';
import { cascadeReport } from '../../shared/usecases/reports';

export const handler = defineRoute(
  routes.cascadeReport,
  { params: cascadeReportParams, query: cascadeReportQuery },
  async ({ principal, params, query }) => {
    const report = await cascadeReport(principal, params.trainingId, {
      limit: query.limit,
      ...(query.depth !== undefined ? { depth: query.depth } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return reportResponse(query.format, report, () => cascadeSheets(report), `cascade-${params.trainingId}`);
  },
);
