import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../shared/exports/content-types';
import { defineRoute } from '../../shared/http/route';
import { feedbackSummaryRequest } from '../../shared/api/feedback';
import { feedbackAnswersRoute, feedbackSummaryRoute } from '../../shared/manifest';
import { feedbackSummaryFor, type FeedbackSummaryView } from '../../shared/usecases/feedback';
import { sealForRoute } from '../../shared/http/cursors';

/** Each question's "more answers" cursor, sealed for the answers route and this caller. */
async function withSealedAnswerCursors(summary: FeedbackSummaryView, caller: string): Promise<FeedbackSummaryView> {
  if (!summary.answers) return summary;
  const answers = { ...summary.answers };
  for (const [question, page] of Object.entries(answers) as [keyof typeof answers, (typeof answers)[keyof typeof answers]][]) {
    if (!page.nextCursor) continue;
    const nextCursor = await sealForRoute(page.nextCursor, {
      route: feedbackAnswersRoute.name,
      pathParameters: { id: summary.trainingId },
      query: { question },
      caller,
    });
    answers[question] = { ...page, nextCursor };
  }
  return { ...summary, answers };
}

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export const handler = defineRoute(
  feedbackSummaryRoute,
  feedbackSummaryRequest,
  async ({ principal, params, query }) => {
    // The files carry every answer; the JSON pages them (GET …/feedback/answers).
    const summary = await feedbackSummaryFor(principal, params.id, query.lang, { allAnswers: query.format !== 'json' });
    // Participants' words (and, for the trainer, names): browsers and proxies keep no copy.
    const noStore = { 'cache-control': 'no-store' };
    if (query.format === 'json') return { status: 200, body: await withSealedAnswerCursors(summary, principal.sub), headers: noStore };
    // The spreadsheet writers load for a file only: most requests want the JSON.
    const { feedbackFileName, feedbackSummaryCsv, feedbackSummaryXlsx } = await import('../../shared/exports/feedback-summary');
    switch (query.format) {
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
