import { reportResponse, surveyReportSheets } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { surveyReportRoute } from '../../shared/manifest';
import { surveyReportRequest } from '../../shared/api/reports';
import { surveyReport } from '../../shared/usecases/survey';

export const handler = defineRoute(surveyReportRoute, surveyReportRequest, async ({ principal, query }) => {
  const report = await surveyReport(principal, {
    ...(query.region ? { region: query.region } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  });
  return reportResponse(query.format, report, () => surveyReportSheets(report), `follow-up-survey-${query.region ?? 'all'}-${report.from}-${report.to}`);
});
