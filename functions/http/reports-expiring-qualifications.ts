import { expiringQualificationsSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { expiringQualificationsReportRequest } from '../../shared/api/reports';
import { expiringQualificationsReportRoute } from '../../shared/manifest';
import { expiringQualificationsReport } from '../../shared/usecases/renewal';

export const handler = defineRoute(expiringQualificationsReportRoute, expiringQualificationsReportRequest, async ({ principal, query }) => {
  const report = await expiringQualificationsReport(principal, { days: query.days, ...(query.region ? { region: query.region } : {}) });
  return reportResponse(query.format, report, () => expiringQualificationsSheets(report), `expiring-qualifications-${report.region}`);
});
