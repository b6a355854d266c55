/**
 * Reads a coordinator's participant list exported from a spreadsheet. Whole-file problems (no
 * usable header, too many rows, wrong encoding) throw a ValidationError; a problem in one row
 * becomes that row's error, so the good rows can still be imported and the person sees exactly
 * which rows to fix.
 */
// CsvError from the same entry point as parse: a CommonJS bundle holds a separate copy of the
// class per entry point, and instanceof would fail across them.
import { CsvError, parse } from 'csv-parse/sync';
import type { Language } from '../locale/language';
import { ValidationError } from '../errors';
import { importRowSchema, type ImportRow } from '../schemas/registration';

export const MAX_IMPORT_ROWS = 2_000;

export interface ImportRowResult {
  /** The row number the person sees in their spreadsheet; the header is row 1. */
  row: number;
  value?: ImportRow;
  error?: string;
}

export interface RegistrationCsv {
  rows: ImportRowResult[];
}

type ImportField = keyof ImportRow;

const fieldNames: Record<ImportField, string> = {
  email: 'email',
  fullName: 'full name',
  school: 'school',
  preferredLanguage: 'language',
};

/** Compared after `headerKey`, so "E-mail", "Full name" and "Ф.И.О." match too. */
const headerAliases: Record<ImportField, readonly string[]> = {
  email: ['email', 'e-mail', 'email address', 'почта', 'пошта', 'электронная почта', 'электрондық пошта'],
  fullName: ['fullName', 'full name', 'name', 'ФИО', 'фамилия имя отчество', 'аты-жөні', 'аты жөні'],
  school: ['school', 'школа', 'мектеп'],
  preferredLanguage: ['language', 'preferredLanguage', 'язык', 'тіл'],
};

const headerFields = new Map<string, ImportField>(
  (Object.entries(headerAliases) as [ImportField, readonly string[]][]).flatMap(([field, aliases]) =>
    aliases.map((alias) => [headerKey(alias), field] as const),
  ),
);

/** People write the language as they would say it; the code is what the system keeps. */
const languageAliases: Record<Language, readonly string[]> = {
  kk: ['kk', 'kz', 'kaz', 'kazakh', 'қаз', 'каз', 'қазақ', 'қазақша', 'қазақ тілі', 'казахский', 'казахский язык'],
  ru: ['ru', 'rus', 'russian', 'рус', 'русский', 'русский язык', 'орыс', 'орысша', 'орыс тілі'],
  en: ['en', 'eng', 'english', 'англ', 'английский', 'английский язык', 'ағылшын', 'ағылшынша', 'ағылшын тілі'],
};

const languagesByAlias = new Map<string, Language>(
  (Object.entries(languageAliases) as [Language, readonly string[]][]).flatMap(([language, aliases]) =>
    aliases.map((alias) => [languageKey(alias), language] as const),
  ),
);

const delimiterNames: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };
type Delimiter = ',' | ';' | '\t';

export function parseRegistrationCsv(text: string): RegistrationCsv {
  // A file saved in a legacy code page and decoded as UTF-8 turns Cyrillic into U+FFFD; reading
  // on would import mangled names, so stop while the person can still re-save the file.
  if (text.includes('\uFFFD')) {
    throw new ValidationError(
      'The file is not in UTF-8, so Kazakh and Russian letters cannot be read. In Excel choose File → Save As → "CSV UTF-8 (comma delimited)" and import the new file.',
    );
  }
  const content = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(content);
  const { records, tooMany } = readRecords(content, delimiter, MAX_IMPORT_ROWS + 1);
  const nonBlank = records.filter((record) => record.kind === 'malformed' || !isBlank(record.cells));
  const header = nonBlank[0];
  if (header === undefined) {
    throw new ValidationError('The file is empty. Put the column names in row 1 (email, fullName, school, language) and one participant per row below.');
  }
  if (header.kind === 'malformed') {
    throw new ValidationError(`The header row (row ${header.row}) cannot be read: ${header.problem}. Fix it and import the file again.`);
  }
  if (tooMany) {
    throw new ValidationError(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} participant rows; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} can be imported at once. Split the file into smaller ones and import them one by one.`,
    );
  }
  const columns = mapHeader(header.cells, header.row);
  const dataRecords = nonBlank.slice(1);
  if (dataRecords.length === 0) {
    throw new ValidationError(`The file has a header but no participants. Add one participant per row below row ${header.row} and import it again.`);
  }

  const firstRowByEmail = new Map<string, number>();
  const rows = dataRecords.map((record): ImportRowResult => {
    if (record.kind === 'malformed') {
      return { row: record.row, error: `row ${record.row}: ${record.problem}; fix the quotes in this row and import it again` };
    }
    const result = readRow(record.cells, columns, header.cells.length, delimiter);
    if ('problems' in result) {
      const fix = result.problems.length > 1 ? 'correct them' : 'correct it';
      return { row: record.row, error: `row ${record.row}: ${result.problems.join('; ')}; ${fix} and import this row again` };
    }
    const earlierRow = firstRowByEmail.get(result.value.email);
    if (earlierRow !== undefined) {
      return {
        row: record.row,
        error: `row ${record.row}: email "${result.value.email}" is already on row ${earlierRow}; a person can be imported only once, so delete this row or correct its email`,
      };
    }
    firstRowByEmail.set(result.value.email, record.row);
    return { row: record.row, value: result.value };
  });
  return { rows };
}

type CsvRecord = { kind: 'cells'; row: number; cells: string[] } | { kind: 'malformed'; row: number; problem: string };

class RecordLimitReached extends Error {}

/**
 * Splits the text into records, numbered as a spreadsheet numbers its rows (a blank line is a row,
 * a quoted value with line breaks stays in one). A record that cannot be parsed — usually a quote
 * that never closes, which would otherwise swallow every line after it — is reported on its own
 * and reading resumes on the next line, so one typo does not cost the rest of the file.
 */
function readRecords(content: string, delimiter: Delimiter, maxNonBlank: number): { records: CsvRecord[]; tooMany: boolean } {
  // Bytes, because csv-parse reports its position in bytes and Kazakh letters take two each.
  const bytes = Buffer.from(content, 'utf8');
  const records: CsvRecord[] = [];
  let nonBlankCount = 0;
  let row = 0;
  let offset = 0;
  const keep = (record: CsvRecord): void => {
    records.push(record);
    if (record.kind === 'malformed' || !isBlank(record.cells)) nonBlankCount += 1;
    if (nonBlankCount > maxNonBlank) throw new RecordLimitReached();
  };
  try {
    while (offset < bytes.length) {
      let parsedUpTo = 0;
      try {
        parse(bytes.subarray(offset), {
          delimiter,
          relax_column_count: true,
          // Lets an unquoted value hold a quote (Әсел "Q" Нұрланқызы) as people type it.
          relax_quotes: true,
          trim: true,
          on_record: (cells: string[], info) => {
            row += 1;
            parsedUpTo = info.bytes;
            keep({ kind: 'cells', row, cells });
            return null;
          },
        });
        break;
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        row += 1;
        const recordStart = offset + parsedUpTo;
        keep({ kind: 'malformed', row, problem: describeCsvError(error, firstLine(bytes, recordStart)) });
        offset = nextLineStart(bytes, recordStart);
      }
    }
  } catch (error) {
    if (error instanceof RecordLimitReached) return { records, tooMany: true };
    throw error;
  }
  return { records, tooMany: false };
}

function describeCsvError(error: CsvError, recordFirstLine: string): string {
  // The parser notices an unclosed quote only where the quoted value runs into trouble, often
  // lines later; an odd number of quotes on the row's own line is the real cause a person can fix.
  const quotes = recordFirstLine.split('"').length - 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED' || quotes % 2 === 1) {
    return 'a value starts with a quote (") that is never closed';
  }
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return 'a value in quotes has more text after its closing quote (") — a quote inside a quoted value must be written twice ("")';
  }
  return 'the line is not valid CSV';
}

function firstLine(bytes: Buffer, from: number): string {
  return bytes.subarray(from, nextLineStart(bytes, from)).toString('utf8');
}

function nextLineStart(bytes: Buffer, from: number): number {
  const LF = 0x0a;
  const CR = 0x0d;
  for (let index = from; index < bytes.length; index += 1) {
    if (bytes[index] === LF) return index + 1;
    if (bytes[index] === CR) return bytes[index + 1] === LF ? index + 2 : index + 1;
  }
  return bytes.length;
}

/**
 * Excel writes ";" where the decimal separator is "," (the Russian and Kazakh locales), so the
 * delimiter is whichever one the header line uses most outside quotes.
 */
function detectDelimiter(content: string): Delimiter {
  const headerLine = content.split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ?? '';
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === ',' || character === ';' || character === '\t')) counts[character] += 1;
  }
  const [best] = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

type ColumnIndexes = Partial<Record<ImportField, number>>;

function mapHeader(cells: string[], headerRow: number): ColumnIndexes {
  const columns: ColumnIndexes = {};
  cells.forEach((cell, index) => {
    const field = headerFields.get(headerKey(cell));
    if (field === undefined) return; // Extra columns ("№", "phone") are common and harmless.
    const earlier = columns[field];
    if (earlier !== undefined) {
      throw new ValidationError(
        `The header row (row ${headerRow}) has two ${fieldNames[field]} columns, "${cells[earlier]}" and "${cell}". Keep one of them and import the file again.`,
      );
    }
    columns[field] = index;
  });
  const missing = (['email', 'fullName'] as const).filter((field) => columns[field] === undefined);
  if (missing.length > 0) {
    const found = cells.filter((cell) => cell !== '').map((cell) => `"${cell}"`);
    throw new ValidationError(
      `The header row (row ${headerRow}) has no ${missing.map((field) => fieldNames[field]).join(' or ')} column` +
        `${found.length > 0 ? ` (it has ${found.join(', ')})` : ''}. ` +
        'Name the columns email, fullName, school and language (почта/пошта, ФИО/аты-жөні, школа/мектеп, язык/тіл work too) and import the file again.',
    );
  }
  return columns;
}

function readRow(
  cells: string[],
  columns: ColumnIndexes,
  headerWidth: number,
  delimiter: Delimiter,
): { value: ImportRow } | { problems: string[] } {
  const cell = (field: ImportField): string => {
    const index = columns[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  // More filled cells than header columns almost always means an unquoted delimiter inside a
  // value, which shifts every later value into the wrong column.
  if (cells.slice(headerWidth).some((extra) => extra !== '')) {
    return {
      problems: [
        `the row has ${cells.length} values but the header has ${headerWidth} columns — a value probably contains a ${delimiterNames[delimiter]}; put that value in quotes`,
      ],
    };
  }

  const languageCell = cell('preferredLanguage');
  const language = languageCell === '' ? undefined : languagesByAlias.get(languageKey(languageCell));
  const school = cell('school');
  const parsed = importRowSchema.safeParse({
    email: cell('email'),
    fullName: cell('fullName'),
    ...(school === '' ? {} : { school }),
    ...(language === undefined ? {} : { preferredLanguage: language }),
  });
  // In column order, as the person reads the row.
  const problems = (parsed.error?.issues ?? []).map((issue) => {
    const field = issue.path[0] as ImportField;
    return describeIssue(field, cell(field), issue.code, issue.message);
  });
  if (languageCell !== '' && language === undefined) {
    problems.push(`language "${languageCell}" is not one of kk, ru, en (leave it empty to use the training's language)`);
  }
  if (parsed.success && problems.length === 0) return { value: parsed.data };
  return { problems };
}

function describeIssue(field: ImportField, value: string, code: string, message: string): string {
  const name = fieldNames[field];
  if (value === '') return `${name} is empty`;
  if (field === 'email' && code === 'invalid_format') return `email "${value}" is not an email address`;
  // A long value quoted back would bury the message; the row number is enough to find it.
  return value.length <= 80 ? `${name} "${value}" ${message}` : `${name} ${message}`;
}

function headerKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/[\s\-_.:*]/g, '');
}

function languageKey(value: string): string {
  return value.normalize('NFC').toLowerCase().replace(/\.$/, '').replace(/\s+/g, ' ').trim();
}

function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
