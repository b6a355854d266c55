import { reportResponse, surveyCandidatesSheets } from '../../shared/exports/reports';
import { defineRoute } from '../../shared/http/route';
import { surveyCandidatesRoute } from '../../shared/manifest';
import { surveyCandidatesRequest } from '../../shared/api/reports';
import { surveyCandidatesReport } from '../../shared/usecases/survey';

export const handler = defineRoute(surveyCandidatesRoute, surveyCandidatesRequest, async ({ principal, query }) => {
  const report = await surveyCandidatesReport(principal, query.region ? { region: query.region } : {});
  return reportResponse(query.format, report, () => surveyCandidatesSheets(report), `next-level-candidates-${query.region ?? 'all'}`);
});
