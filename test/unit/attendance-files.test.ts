import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attendanceCsv, attendanceXlsx } from '../../shared/attendance/report-files';
import type { AttendanceReport } from '../../shared/usecases/attendance';

const report: AttendanceReport = {
  trainingId: 'T1',
  title: { kk: 'Көшбасшылық', en: 'Leadership' },
  language: 'kk',
  sessions: [
    { id: 's1', startsAt: '2026-12-01T05:00:00.000Z', endsAt: '2026-12-01T08:00:00.000Z', hours: 3 },
    { id: 's2', startsAt: '2026-12-02T05:00:00.000Z', endsAt: '2026-12-02T08:00:00.000Z', hours: 3 },
  ],
  plannedHours: 6,
  completionThreshold: 0.8,
  requiredHours: 4.8,
  feedbackRequired: true,
  participants: [
    {
      registrationId: 'r1',
      fullName: 'Әлия "Әке" Ғалымжанқызы; №12',
      email: 'aliya@school.kz',
      sessions: { s1: 'present', s2: 'late' },
      minutes: { s2: 90 },
      attendedHours: 4.5,
      feedbackSubmitted: true,
      completed: false,
    },
    {
      registrationId: 'r2',
      fullName: '=HYPERLINK("http://evil.example","Іңкәр")',
      email: 'inkar@school.kz',
      sessions: { s1: 'absent', s2: 'unmarked' },
      minutes: {},
      attendedHours: 0,
      feedbackSubmitted: false,
      completed: false,
    },
  ],
};

describe('the attendance CSV', () => {
  it('is UTF-8 with a BOM, CRLF and semicolons, quoted where needed, with a decimal comma', () => {
    const { fileName, text } = attendanceCsv(report, 'kk');
    expect(fileName).toBe('attendance-T1.csv');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4);
    const rows: string[][] = parse(text, { bom: true, delimiter: ';' });
    expect(rows[0]).toEqual(['Аты-жөні', 'Email', 'Сабақ 1 (2026-12-01 10:00)', 'Сабақ 2 (2026-12-02 10:00)', 'Қатысқан сағат', 'Кері байланыс', 'Аяқтады']);
    expect(rows[1]).toEqual(['Әлия "Әке" Ғалымжанқызы; №12', 'aliya@school.kz', 'қатысты', 'кешікті (90 мин)', '4,5', 'иә', 'жоқ']);
  });

  it('never lets a cell run as a formula', () => {
    const rows: string[][] = parse(attendanceCsv(report, 'en').text, { bom: true, delimiter: ';' });
    expect(rows[2]![0]).toBe('\'=HYPERLINK("http://evil.example","Іңкәр")');
    expect(rows[2]!.slice(2, 4)).toEqual(['absent', '']);
  });
});

describe('the attendance workbook', () => {
  it('has headings in the asked language, real numbers and the names neutralised like the CSV', async () => {
    const { fileName, binary } = await attendanceXlsx(report, 'ru');
    expect(fileName).toBe('attendance-T1.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(binary).buffer);
    const sheet = workbook.getWorksheet('Посещаемость')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'ФИО', 'Email', 'Занятие 1 (2026-12-01 10:00)', 'Занятие 2 (2026-12-02 10:00)', 'Часы посещения', 'Отзыв', 'Завершил(а)']);
    expect(sheet.getRow(2).values).toEqual([undefined, 'Әлия "Әке" Ғалымжанқызы; №12', 'aliya@school.kz', 'присутствовал(а)', 'опоздал(а) (90 мин)', 4.5, 'да', 'нет']);
    // A text cell is re-evaluated once edited, and the workbook may be saved as CSV.
    expect(sheet.getRow(3).getCell(1).value).toBe('\'=HYPERLINK("http://evil.example","Іңкәр")');
  });
});
