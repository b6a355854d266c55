/**
 * Tables as files for spreadsheets — generic writers any report can use.
 *
 * CSV is written for Excel as it is set up in Kazakhstan (kk-KZ, ru-KZ): UTF-8 with a BOM (without
 * it Excel shows Kazakh letters as mojibake), semicolons between fields and a decimal comma, as
 * the regional list and decimal separators are, CRLF line ends, and quotes where a field needs
 * them; a field holding CR or LF is always quoted, so a line break inside a name or an answer
 * never starts a new row.
 *
 * Every text cell, in CSV and XLSX alike, passes through `formulaSafe` (CSV injection, OWASP): a
 * cell that starts like a formula (= + - @ tab CR, or their full-width forms, which some
 * spreadsheets fold into them) gets a leading apostrophe, and so does every line inside it that
 * starts that way — a tool that splits the file on line breaks, or a user who edits the cell,
 * would otherwise find a formula there. XLSX stores text as text, but a cell is re-evaluated once
 * edited and a workbook saved as CSV loses that, so it gets the same treatment. Numbers are never
 * touched: a negative number stays a number.
 */
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null | undefined;

export interface Sheet {
  /** At most 31 characters, none of []:*?/\ (Excel's rules); longer names are cut. */
  name: string;
  rows: Cell[][];
  /** Column widths in characters, by position. */
  columnWidths?: number[];
  /** Rows (0-based) shown bold: headings. */
  boldRows?: number[];
  /** Columns (0-based) whose text wraps: long free text. */
  wrapColumns?: number[];
}

export { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './content-types';

const formulaTrigger = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Text that no spreadsheet evaluates: an apostrophe before the cell's and every line's trigger. */
export function formulaSafe(value: string): string {
  // Odd parts are the line breaks themselves; a CR that starts the cell is a trigger of its own.
  const lines = value.split(/(\r\n|\r|\n)/).map((part, index) => (index % 2 === 0 && formulaTrigger.test(part) ? `'${part}` : part));
  const safe = lines.join('');
  return formulaTrigger.test(safe) ? `'${safe}` : safe;
}

function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell).replace('.', ',');
  return formulaSafe(cell);
}

/** Rows as CSV text for Excel in Kazakhstan; rows may differ in length. */
export function csvText(rows: readonly Cell[][]): string {
  return stringify(
    rows.map((row) => row.map(csvCell)),
    { bom: true, delimiter: ';', record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

function xlsxCell(cell: Cell): string | number | null {
  if (cell === null || cell === undefined) return null;
  return typeof cell === 'number' ? cell : formulaSafe(cell);
}

function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
}

/** A workbook with one worksheet per sheet, in order. */
export async function xlsxBuffer(sheets: readonly Sheet[], properties: { title?: string } = {}): Promise<Buffer> {
  // Loaded on demand: it takes a few hundred milliseconds, which JSON and CSV requests need not pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Teachers as Leaders';
  if (properties.title) workbook.title = properties.title;
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheetName(sheet.name));
    for (const row of sheet.rows) worksheet.addRow(row.map(xlsxCell));
    sheet.columnWidths?.forEach((width, index) => {
      worksheet.getColumn(index + 1).width = width;
    });
    for (const index of sheet.boldRows ?? []) worksheet.getRow(index + 1).font = { bold: true };
    for (const index of sheet.wrapColumns ?? []) {
      worksheet.getColumn(index + 1).alignment = { wrapText: true, vertical: 'top' };
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
