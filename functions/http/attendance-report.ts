import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../shared/exports/content-types';
import { defineRoute } from '../../shared/http/route';
import { attendanceReportRequest } from '../../shared/api/attendance';
import { attendanceReportRoute } from '../../shared/manifest';
import { attendanceReport } from '../../shared/usecases/attendance';

function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

export const handler = defineRoute(
  attendanceReportRoute,
  attendanceReportRequest,
  async ({ principal, params, query }) => {
    const report = await attendanceReport(principal, params.id);
    const language = query.lang ?? report.language;
    // Personal data: browsers and proxies keep no copy.
    const noStore = { 'cache-control': 'no-store' };
    if (query.format === 'json') return { status: 200, body: report, headers: noStore };
    // The spreadsheet writers load for a file only: most requests want the JSON.
    const { attendanceCsv, attendanceXlsx } = await import('../../shared/attendance/report-files');
    switch (query.format) {
      case 'csv': {
        const file = attendanceCsv(report, language);
        return {
          status: 200,
          text: file.text,
          headers: { ...noStore, 'content-type': CSV_CONTENT_TYPE, 'content-disposition': attachment(file.fileName) },
        };
      }
      case 'xlsx': {
        const file = await attendanceXlsx(report, language);
        return {
          status: 200,
          binary: file.binary,
          headers: { ...noStore, 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': attachment(file.fileName) },
        };
      }
    }
  },
);
