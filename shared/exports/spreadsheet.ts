/**
 * Tables as files for spreadsheets — generic writers any report can use.
 *
 * CSV is written for Excel as it is set up in Kazakhstan (kk-KZ, ru-KZ): UTF-8 with a BOM (without
 * it Excel shows Kazakh letters as mojibake), semicolons between fields and a decimal comma, as
 * the regional list and decimal separators are, CRLF line ends, and quotes where a field needs
 * them. A text cell that starts like a formula (= + - @ tab CR) gets a leading apostrophe, so
 * free text can never run as a formula (CSV injection, OWASP). XLSX stores text as text and
 * numbers as numbers and needs none of that.
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

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Neutralises a leading formula character. */
export function formulaSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
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
    { bom: true, delimiter: ';', record_delimiter: 'windows' },
  );
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
    for (const row of sheet.rows) worksheet.addRow(row.map((cell) => cell ?? null));
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
