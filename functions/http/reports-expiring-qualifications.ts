import { expiringQualificationsSheets, reportResponse } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { expiringQualificationsQuery } from '../../shared/schemas/reports';
import { expiringQualificationsReport } from '../../shared/usecases/renewal';

export const handler = defineRoute(routes.expiringQualificationsReport, { query: expiringQualificationsQuery }, async ({ principal, query }) => {
  const report = await expiringQualificationsReport(principal, { days: query.days, ...(query.region ? { region: query.region } : {}) });
  return reportResponse(query.format, report, () => expiringQualificationsSheets(report), `expiring-qualifications-${report.region}`);
});
