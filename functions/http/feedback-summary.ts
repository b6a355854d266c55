import { feedbackFileName, feedbackSummaryCsv, feedbackSummaryXlsx } from '../../shared/exports/feedback-summary';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../shared/exports/spreadsheet';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { feedbackSummaryQuery } from '../../shared/schemas/feedback';
import { trainingIdParams } from '../../shared/schemas/training';
import { feedbackSummaryFor } from '../../shared/usecases/feedback';

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export const handler = defineRoute(
  routes.feedbackSummary,
  { params: trainingIdParams, query: feedbackSummaryQuery },
  async ({ principal, params, query }) => {
    // The files carry every answer; the JSON pages them (GET …/feedback/answers).
    const summary = await feedbackSummaryFor(principal, params.id, query.lang, { allAnswers: query.format !== 'json' });
    // Participants' words (and, for the trainer, names): browsers and proxies keep no copy.
    const noStore = { 'cache-control': 'no-store' };
    switch (query.format) {
      case 'json':
        return { status: 200, body: summary, headers: noStore };
      case 'csv':
        return {
          status: 200,
          text: feedbackSummaryCsv(summary, summary.language),
          headers: { ...noStore, 'content-type': CSV_CONTENT_TYPE, 'content-disposition': attachment(feedbackFileName(summary, 'csv')) },
        };
      case 'xlsx':
        return {
          status: 200,
          binary: await feedbackSummaryXlsx(summary, summary.language),
          headers: { ...noStore, 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': attachment(feedbackFileName(summary, 'xlsx')) },
        };
    }
  },
);
