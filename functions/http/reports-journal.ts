import { defineRoute } from '../../shared/http/route';
import { journalReportRequest } from '../../shared/api/reports';
import { journalReportRoute } from '../../shared/manifest';
import { journalSummary } from '../../shared/usecases/journal-stats';

/** Counts only (JSON): journal text never reaches a report. */
export const handler = defineRoute(journalReportRoute, journalReportRequest, async ({ principal, params, query }) => ({
  status: 200,
  body: await journalSummary(principal, params.region, {
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  }),
  headers: { 'cache-control': 'no-store' },
}));
