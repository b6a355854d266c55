import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { feedbackSummaryCsv, feedbackSummaryXlsx } from '../../shared/exports/feedback-summary';
import { csvText, formulaSafe } from '../../shared/exports/spreadsheet';
import type { FeedbackResponse } from '../../shared/schemas/feedback';
import type { FeedbackSummaryView } from '../../shared/usecases/feedback';
import { summaryView } from '../support/feedback-views';

const ratings = (overall: number) => ({ overall, relevance: 4, trainer: 5, materials: 3, recommend: 5 });
const responses: FeedbackResponse[] = [
  { trainingId: 't', ratings: ratings(5), answers: { influence: 'Өз сабағымды басқаша құрдым; әріптестерге үйреттім', unique: '=1+1' } },
  { trainingId: 't', ratings: ratings(4), answers: { influence: 'Ұжыммен жұмыс істеу, "коучинг" тәсілі', unique: 'Коучинг' } },
  { trainingId: 't', ratings: ratings(4), answers: { influence: 'Жоспарлауды өзгерттім', unique: 'Топтық жұмыс', change: 'Сенімді болдым' } },
];

/** The summary as the use case builds it: released (unless said), with every answer, as for a file. */
function view(list: FeedbackResponse[], released = true): FeedbackSummaryView {
  return summaryView(list, { released });
}

describe('the feedback summary as CSV', () => {
  it('is UTF-8 with a BOM and reads back with Kazakh text, numbers and quoting intact', () => {
    const csv = feedbackSummaryCsv(view(responses), 'kk');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows: string[][] = parse(Buffer.from(csv, 'utf8'), { bom: true, delimiter: ';', relax_column_count: true });
    expect(rows.slice(0, 4)).toEqual([
      ['Оқыту', 'Көшбасшылық және өзгеріс'],
      ['Жауап бергендер', '3'],
      ['Расталған қатысушылар', '8'],
      ['Жауап бергендердің үлесі, %', '37,5'],
    ]);
    expect(rows).toContainEqual(['Баға', 'Саны', 'Орташа', '1', '2', '3', '4', '5']);
    expect(rows).toContainEqual(['Оқытуға жалпы бағаңыз', '3', '4,33', '0', '0', '0', '2', '1']);
    const influence = 'Оқыту сіздің көшбасшылық дағдыларыңыз бен тәжірибеңізге қалай әсер етті?';
    expect(rows).toContainEqual([influence, 'Өз сабағымды басқаша құрдым; әріптестерге үйреттім']);
    expect(rows).toContainEqual([influence, 'Ұжыммен жұмыс істеу, "коучинг" тәсілі']);
    // Free text that looks like a formula stays text.
    expect(rows).toContainEqual(['Бұл тәсілдің ерекшелігі неде?', "'=1+1"]);
    // One answer to a question: its count stands in for it, never the text.
    expect(csv).not.toContain('Сенімді болдым');
    expect(rows.some((row) => row[1] === '1 жауап — 3-тен аз, сондықтан мәтіндері көрсетілмейді.')).toBe(true);
  });

  it('holds only the counts before release, and says when the results come', () => {
    const csv = feedbackSummaryCsv(view(responses, false), 'en');
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';', relax_column_count: true });
    expect(rows[1]).toEqual(['Responses', '3']);
    expect(rows.at(-1)![0]).toMatch(/not released yet.*2 January 2027/);
    expect(csv).not.toContain('Өз сабағымды');
    expect(csv).not.toContain('=1+1');
  });

  it('holds only the counts below three responses', () => {
    const csv = feedbackSummaryCsv(view(responses.slice(0, 2)), 'ru');
    const rows: string[][] = parse(csv, { bom: true, delimiter: ';', relax_column_count: true });
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual(['Ответили', '2']);
    expect(rows[4]![0]).toContain('меньше 3');
    expect(csv).not.toContain('Өз сабағымды');
  });

  it('writes decimals with a comma and neutralises formula characters', () => {
    expect(csvText([[1.5, '+7 701', '@x', 'ok']])).toBe("\uFEFF1,5;'+7 701;'@x;ok\r\n");
    expect(formulaSafe('-5')).toBe("'-5");
    expect(formulaSafe('Әсел')).toBe('Әсел');
  });
});

describe('the feedback summary as XLSX', () => {
  it('reads back with the counts, the ratings and the answers on their sheets, Kazakh text intact', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await feedbackSummaryXlsx(view(responses), 'kk')).buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Жиынтық', 'Бағалар', 'Жауаптар']);
    const summary = workbook.getWorksheet('Жиынтық')!;
    expect(summary.getRow(2).values).toEqual([undefined, 'Жауап бергендер', 3]);
    const ratingsSheet = workbook.getWorksheet('Бағалар')!;
    expect(ratingsSheet.getRow(2).values).toEqual([undefined, 'Оқытуға жалпы бағаңыз', 3, 4.33, 0, 0, 0, 2, 1]);
    const answers = workbook.getWorksheet('Жауаптар')!;
    const texts = answers.getColumn(2).values.filter((value): value is string => typeof value === 'string');
    expect(texts).toContain('Өз сабағымды басқаша құрдым; әріптестерге үйреттім');
    expect(texts).toContain("'=1+1");
  });

  it('has the counts sheet only below three responses', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await feedbackSummaryXlsx(view(responses.slice(0, 1)), 'en')).buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary']);
  });
});
