/**
 * The attendance report as files for spreadsheets, headed in the reader's language. The file
 * formats (CSV for Excel in Kazakhstan with a BOM, XLSX with real numbers) are the shared writers'
 * of shared/exports/spreadsheet.ts; this module decides what the table says.
 */
import type { Language } from '../locale/language';
import { inAlmaty } from '../locale/almaty';
import { titleIn } from '../locale/title';
import { csvText, xlsxBuffer, type Cell } from '../exports/spreadsheet';
import type { AttendanceReport, AttendanceReportRow, SessionCell } from '../usecases/attendance';

interface Labels {
  sheet: string;
  fullName: string;
  email: string;
  session: string;
  attendedHours: string;
  feedback: string;
  completed: string;
  status: Record<SessionCell, string>;
  minutes: string;
  yes: string;
  no: string;
}

const labels: Record<Language, Labels> = {
  kk: {
    sheet: 'Қатысу',
    fullName: 'Аты-жөні',
    email: 'Email',
    session: 'Сабақ',
    attendedHours: 'Қатысқан сағат',
    feedback: 'Кері байланыс',
    completed: 'Аяқтады',
    status: { present: 'қатысты', late: 'кешікті', absent: 'қатыспады', unmarked: '' },
    minutes: 'мин',
    yes: 'иә',
    no: 'жоқ',
  },
  ru: {
    sheet: 'Посещаемость',
    fullName: 'ФИО',
    email: 'Email',
    session: 'Занятие',
    attendedHours: 'Часы посещения',
    feedback: 'Отзыв',
    completed: 'Завершил(а)',
    status: { present: 'присутствовал(а)', late: 'опоздал(а)', absent: 'отсутствовал(а)', unmarked: '' },
    minutes: 'мин',
    yes: 'да',
    no: 'нет',
  },
  en: {
    sheet: 'Attendance',
    fullName: 'Full name',
    email: 'Email',
    session: 'Session',
    attendedHours: 'Attended hours',
    feedback: 'Feedback',
    completed: 'Completed',
    status: { present: 'present', late: 'late', absent: 'absent', unmarked: '' },
    minutes: 'min',
    yes: 'yes',
    no: 'no',
  },
};

const sessionTime = inAlmaty('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Сабақ 1 (2026-12-01 10:00)": the number and the start in Almaty time, unambiguous in any locale. */
function sessionHeading(text: Labels, index: number, startsAt: string): string {
  return `${text.session} ${index + 1} (${sessionTime.format(new Date(startsAt)).replace(',', '')})`;
}

function headings(report: AttendanceReport, text: Labels): string[] {
  return [
    text.fullName,
    text.email,
    ...report.sessions.map((session, index) => sessionHeading(text, index, session.startsAt)),
    text.attendedHours,
    ...(report.feedbackRequired ? [text.feedback] : []),
    text.completed,
  ];
}

function sessionCell(row: AttendanceReportRow, sessionId: string, text: Labels): string {
  const status = row.sessions[sessionId] ?? 'unmarked';
  const minutes = row.minutes[sessionId];
  return minutes === undefined || status === 'absent' ? text.status[status] : `${text.status[status]} (${minutes} ${text.minutes})`;
}

function fileName(report: AttendanceReport, extension: string): string {
  return `attendance-${report.trainingId}.${extension}`;
}

/** The heading row and one row per participant; hours stay numbers for the writers to format. */
function table(report: AttendanceReport, language: Language): Cell[][] {
  const text = labels[language];
  return [
    headings(report, text),
    ...report.participants.map((row) => [
      row.fullName,
      row.email,
      ...report.sessions.map((session) => sessionCell(row, session.id, text)),
      row.attendedHours,
      ...(report.feedbackRequired ? [row.feedbackSubmitted ? text.yes : text.no] : []),
      row.completed ? text.yes : text.no,
    ]),
  ];
}

export function attendanceCsv(report: AttendanceReport, language: Language): { fileName: string; text: string } {
  return { fileName: fileName(report, 'csv'), text: csvText(table(report, language)) };
}

export async function attendanceXlsx(report: AttendanceReport, language: Language): Promise<{ fileName: string; binary: Buffer }> {
  const rows = table(report, language);
  const columnWidths = rows[0]!.map((heading, index) => (index === 0 ? 36 : index === 1 ? 30 : Math.max(14, String(heading).length + 2)));
  const title = titleIn(report.title, language);
  const binary = await xlsxBuffer([{ name: labels[language].sheet, rows, columnWidths, boldRows: [0] }], title ? { title } : {});
  return { fileName: fileName(report, 'xlsx'), binary };
}
