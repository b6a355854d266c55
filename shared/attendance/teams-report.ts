/**
 * Microsoft Teams meeting attendance reports, read as the organizer downloads them. Pure: bytes
 * in, join/leave intervals out, no I/O.
 *
 * Two formats exist in the wild:
 * - the current one: tab-separated text named `.csv` (UTF-16 LE with a BOM, sometimes UTF-8), in
 *   sections `1. Summary` (title, start and end time), `2. Participants` (one row per person:
 *   first join, last leave, duration, email, UPN, role) and `3. In-Meeting activities` (one row
 *   per join/leave interval). Versions differ in the spelling of the headers, and the headings
 *   and dates follow the organizer's language and locale;
 * - the older one: one row per event, `Full Name, User Action (Joined/Left), Timestamp`.
 *
 * Times in a report carry no zone: they are the organizer's wall-clock time, read here in the
 * zone given (Kazakhstan's, for this programme).
 */
import { ValidationError } from '../errors';

export interface ReportFile {
  name: string;
  bytes: Uint8Array;
}

export interface TeamsInterval {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

export type TeamsRole = 'organizer' | 'presenter' | 'attendee';

/** One person as the report(s) name them, with every interval they were in the meeting. */
export interface TeamsAttendee {
  /** Stable for the same files: `email:…`, `upn:…` or `name:…` (the name as written, lower case). */
  key: string;
  name: string;
  email?: string;
  upn?: string;
  role: TeamsRole;
  intervals: TeamsInterval[];
  /** Where the person first appears: index into the files, 1-based line. */
  file: number;
  line: number;
}

export interface TeamsMeeting {
  file: number;
  format: 'sections' | 'events';
  title?: string;
  start: number;
  end: number;
}

/** Why a row could not be read, for a reader in any language (`problem` says it in English). */
export const unreadableReasons = ['unknown_time', 'missing_time', 'leave_before_join', 'no_name', 'unknown_action', 'left_without_join'] as const;
export type UnreadableReason = (typeof unreadableReasons)[number];

export interface UnreadableRow {
  file: number;
  fileName: string;
  line: number;
  reason: UnreadableReason;
  /** The cell that could not be read, when there was one. */
  value?: string;
  problem: string;
}

export interface ParsedTeamsReports {
  meetings: TeamsMeeting[];
  attendees: TeamsAttendee[];
  unreadable: UnreadableRow[];
}

export interface ParseOptions {
  /** IANA zone the report's wall-clock times are read in. */
  timeZone: string;
  /** When a file's day/month order cannot be told from its dates, the reading nearest this instant wins. */
  referenceTime: number;
}

export const EXPECTED_FORMAT =
  'a Microsoft Teams attendance report as downloaded from the meeting (Attendance → Download): ' +
  'the tab-separated .csv with "Participants" (Name, First Join, Last Leave, …) or "In-Meeting Activities" ' +
  '(Name, Join Time, Leave Time, …), or the older list with Full Name, User Action and Timestamp';

// ---------------------------------------------------------------------------------------------
// Text

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true });

function swapBytes(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    swapped[index] = bytes[index + 1]!;
    swapped[index + 1] = bytes[index]!;
  }
  return swapped;
}

/** Teams writes UTF-16 LE with a BOM; a file saved again elsewhere may be UTF-8 or lack the BOM. */
export function decodeReport(bytes: Uint8Array): string | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16le.decode(swapBytes(bytes.subarray(2)));
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8.decode(bytes.subarray(3));
    // Without a BOM, UTF-16 LE text of Latin or Cyrillic letters has a zero or a 0x04 in every odd byte.
    const sample = bytes.subarray(0, 400);
    let zeroesAtOdd = 0;
    for (let index = 1; index < sample.length; index += 2) if (sample[index] === 0) zeroesAtOdd++;
    if (sample.length >= 4 && zeroesAtOdd * 4 >= sample.length / 2) return utf16le.decode(bytes);
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function splitCells(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (char === delimiter) {
      cells.push(current.trim());
      current = '';
    } else current += char;
  }
  cells.push(current.trim());
  return cells;
}

function delimiterOf(text: string): string {
  if (text.includes('\t')) return '\t';
  const firstLines = text.split(/\r?\n/, 20).join('\n');
  return (firstLines.match(/;/g)?.length ?? 0) > (firstLines.match(/,/g)?.length ?? 0) / 2 ? ';' : ',';
}

// ---------------------------------------------------------------------------------------------
// Headers in every spelling seen: versions, English capitalisation, Russian and Kazakh

type Column =
  | 'name'
  | 'firstJoin'
  | 'lastLeave'
  | 'joinTime'
  | 'leaveTime'
  | 'duration'
  | 'email'
  | 'upn'
  | 'role'
  | 'userAction'
  | 'timestamp';

type SummaryKey = 'title' | 'start' | 'end';

function headerKey(cell: string): string {
  return cell
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u200b\ufeff]/g, '')
    .replace(/[.:()\-_/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const columnSpellings: Record<Column, readonly string[]> = {
  name: ['name', 'full name', 'display name', 'имя', 'полное имя', 'фио', 'аты', 'аты жөні', 'толық аты'],
  firstJoin: ['first join', 'first join time', 'первое присоединение', 'первый вход', 'время первого входа', 'алғашқы қосылу', 'бірінші қосылу'],
  lastLeave: ['last leave', 'last leave time', 'последний выход', 'время последнего выхода', 'соңғы шығу', 'соңғы кету'],
  joinTime: ['join time', 'время присоединения', 'время входа', 'қосылу уақыты'],
  leaveTime: ['leave time', 'время выхода', 'время ухода', 'шығу уақыты', 'кету уақыты'],
  duration: [
    'duration',
    'in meeting duration',
    'attendance duration',
    'длительность',
    'продолжительность',
    'длительность участия в собрании',
    'длительность в собрании',
    'ұзақтығы',
    'жиналыстағы ұзақтығы',
    'жиналыстағы уақыты',
  ],
  email: ['email', 'e mail', 'email address', 'электронная почта', 'адрес электронной почты', 'эл почта', 'электрондық пошта', 'эл пошта'],
  upn: ['participant id upn', 'upn', 'ид участника upn', 'идентификатор участника upn', 'қатысушы идентификаторы upn', 'қатысушы id upn'],
  role: ['role', 'роль', 'рөлі', 'рөл'],
  userAction: ['user action', 'action', 'действие пользователя', 'действие', 'пайдаланушы әрекеті', 'әрекет'],
  timestamp: ['timestamp', 'time stamp', 'отметка времени', 'метка времени', 'уақыт белгісі'],
};

const summarySpellings: Record<SummaryKey, readonly string[]> = {
  title: ['meeting title', 'title', 'название собрания', 'тема собрания', 'название', 'жиналыс атауы', 'жиналыс тақырыбы'],
  start: ['start time', 'meeting start time', 'время начала', 'время начала собрания', 'басталу уақыты', 'жиналыстың басталу уақыты'],
  end: ['end time', 'meeting end time', 'время окончания', 'время окончания собрания', 'аяқталу уақыты', 'жиналыстың аяқталу уақыты'],
};

function lookup<K extends string>(table: Record<K, readonly string[]>): Map<string, K> {
  const map = new Map<string, K>();
  for (const [key, spellings] of Object.entries(table) as [K, readonly string[]][]) {
    for (const spelling of spellings) map.set(spelling, key);
  }
  return map;
}

const columnByHeader = lookup(columnSpellings);
const summaryByHeader = lookup(summarySpellings);

const summaryTitles = new Set(['summary', 'meeting summary', 'сводка', 'сводка собрания', 'сводные данные', 'қорытынды', 'жиналыс қорытындысы', 'жиынтық']);

function roleOf(cell: string | undefined): TeamsRole {
  const value = headerKey(cell ?? '');
  if (/^(organi[sz]er|организатор|ұйымдастырушы)$/.test(value)) return 'organizer';
  if (/^(presenter|co organi[sz]er|выступающий|докладчик|соорганизатор|баяндамашы|жүргізуші|презентатор)$/.test(value)) {
    return 'presenter';
  }
  return 'attendee';
}

// ---------------------------------------------------------------------------------------------
// Dates in the organizer's locale

type DateOrder = 'DMY' | 'MDY';

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const monthByStem = new Map<string, number>(
  [
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
    ['қаң', 'ақп', 'нау', 'сәу', 'мам', 'мау', 'шіл', 'там', 'қыр', 'қаз', 'қар', 'жел'],
  ].flatMap((stems) => stems.map((stem, index): [string, number] => [stem, index + 1])),
);
monthByStem.set('май', 5);

function monthOf(word: string): number | undefined {
  return monthByStem.get(word.toLowerCase().slice(0, 3));
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp]\.?\s?[Mm]\.?)?`;
const numericDate = new RegExp(String.raw`^(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?:\s*(?:г|ж)\.?)?(?:,\s*|\s+|T)${TIME}$`);
const dayMonthName = new RegExp(String.raw`^(\d{1,2})\s+([^\d\s.,]+)\.?\s+(\d{4})(?:\s*(?:г|ж)\.?)?,?\s+${TIME}$`);
const monthNameDay = new RegExp(String.raw`^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+${TIME}$`);
const yearDayMonthName = new RegExp(String.raw`^(\d{4})\s*ж\.?\s+(\d{1,2})\s+([^\d\s.,]+)\.?,?\s+${TIME}$`);

function clean(text: string): string {
  // Windows puts narrow no-break spaces before AM/PM and left-to-right marks around dates.
  return text.replace(/[\u200e\u200f\u202f\u00a0]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The ambiguity of a slash date: which of its first two numbers can only be a day. */
function slashHint(text: string): DateOrder | 'either' | undefined {
  const match = numericDate.exec(clean(text));
  if (!match || match[2] === '.' || match[1]!.length === 4) return undefined;
  const first = Number(match[1]);
  const second = Number(match[3]);
  if (first > 12) return 'DMY';
  if (second > 12) return 'MDY';
  return 'either';
}

function withTime(year: number, month: number, day: number, parts: RegExpExecArray, offset: number): WallClock | undefined {
  let hour = Number(parts[offset]);
  const minute = Number(parts[offset + 1]);
  const second = parts[offset + 2] === undefined ? 0 : Number(parts[offset + 2]);
  const meridiem = parts[offset + 3]?.toLowerCase().replace(/[^ap]/g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (year < 100) year += 2000;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || year < 2000 || year > 2100) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

function parseWallClock(text: string, order: DateOrder): WallClock | undefined {
  const value = clean(text);
  let match = numericDate.exec(value);
  if (match) {
    const [a, separator, b, c] = [Number(match[1]), match[2], Number(match[3]), Number(match[4])];
    if (match[1]!.length === 4) return withTime(a, b, c, match, 5);
    const dayFirst = separator === '.' || order === 'DMY';
    return dayFirst ? withTime(c, b, a, match, 5) : withTime(c, a, b, match, 5);
  }
  match = dayMonthName.exec(value);
  if (match) {
    const month = monthOf(match[2]!);
    return month ? withTime(Number(match[3]), month, Number(match[1]), match, 4) : undefined;
  }
  match = monthNameDay.exec(value);
  if (match) {
    const month = monthOf(match[1]!);
    return month ? withTime(Number(match[3]), month, Number(match[2]), match, 4) : undefined;
  }
  match = yearDayMonthName.exec(value);
  if (match) {
    const month = monthOf(match[3]!);
    return month ? withTime(Number(match[1]), month, Number(match[2]), match, 4) : undefined;
  }
  return undefined;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Building a DateTimeFormat costs far more than using one; a report has thousands of times. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

const offsetCache = new Map<string, number>();

/** Zones change their offset on whole quarter-hours at most, so one lookup serves each quarter-hour. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(instant / 900_000)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = computeZoneOffsetMs(instant, timeZone);
    if (offsetCache.size > 10_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

function computeZoneOffsetMs(instant: number, timeZone: string): number {
  const parts = zoneFormat(timeZone).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instant;
}

/** The instant a wall-clock time in a zone names (the later reading across a DST gap). */
export function instantOf(clock: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  let instant = asUtc - zoneOffsetMs(asUtc, timeZone);
  instant = asUtc - zoneOffsetMs(instant, timeZone);
  return instant;
}

// ---------------------------------------------------------------------------------------------
// Durations, used only where a report has no per-interval rows

const durationUnit = /(\d+)\s*([a-zа-яәғқңөұүһі]+)/giu;

export function parseDurationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = clean(text).toLowerCase();
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(value);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000;
  let total = 0;
  let found = false;
  for (const [, amount, unit] of value.matchAll(durationUnit)) {
    const seconds = /^(h|ч|сағ)/.test(unit!) ? 3600 : /^(m|мин)/.test(unit!) ? 60 : /^(s|с)/.test(unit!) ? 1 : undefined;
    if (seconds === undefined) return undefined;
    total += Number(amount) * seconds;
    found = true;
  }
  return found ? total * 1000 : undefined;
}

// ---------------------------------------------------------------------------------------------
// The reader

interface Line {
  number: number;
  cells: string[];
}

type TableKind = 'participants' | 'activities' | 'events';

interface Table {
  kind: TableKind;
  columns: Map<Column, number>;
}

interface DraftMeeting {
  format: 'sections' | 'events';
  title?: string;
  start?: { text: string; line: number };
  end?: { text: string; line: number };
  participants: Line[];
  activities: Line[];
  events: Line[];
  columns: Partial<Record<TableKind, Map<Column, number>>>;
}

function tableOf(cells: string[]): Table | undefined {
  const columns = new Map<Column, number>();
  cells.forEach((cell, index) => {
    const column = columnByHeader.get(headerKey(cell));
    if (column && !columns.has(column)) columns.set(column, index);
  });
  if (!columns.has('name')) return undefined;
  if (columns.has('joinTime') && columns.has('leaveTime')) return { kind: 'activities', columns };
  if (columns.has('firstJoin') && columns.has('lastLeave')) return { kind: 'participants', columns };
  if (columns.has('userAction') && columns.has('timestamp')) return { kind: 'events', columns };
  return undefined;
}

function isSectionTitle(cells: string[]): { summary: boolean } | undefined {
  const filled = cells.filter(Boolean);
  if (filled.length !== 1 || cells[0] === '') return undefined;
  const numbered = /^(\d+)\s*[.)]\s*(.*)$/.exec(filled[0]!);
  if (numbered) return { summary: numbered[1] === '1' || summaryTitles.has(headerKey(numbered[2]!)) };
  return summaryTitles.has(headerKey(filled[0]!)) ? { summary: true } : undefined;
}

function emptyMeeting(format: 'sections' | 'events'): DraftMeeting {
  return { format, participants: [], activities: [], events: [], columns: {} };
}

function hasContent(meeting: DraftMeeting): boolean {
  return meeting.participants.length + meeting.activities.length + meeting.events.length > 0;
}

/** Splits one file into its meetings (a file may hold the reports of a restarted meeting one after another). */
function readStructure(text: string): DraftMeeting[] {
  const delimiter = delimiterOf(text);
  const meetings: DraftMeeting[] = [];
  let meeting: DraftMeeting | undefined;
  let table: Table | undefined;
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const cells = splitCells(raw.replace(/^\ufeff/, ''), delimiter);
    const line: Line = { number: index + 1, cells };
    if (cells.every((cell) => cell === '')) {
      table = undefined;
      return;
    }
    const section = isSectionTitle(cells);
    if (section) {
      table = undefined;
      if (section.summary) {
        meeting = emptyMeeting('sections');
        meetings.push(meeting);
      }
      return;
    }
    const header = tableOf(cells);
    if (header) {
      const format = header.kind === 'events' ? 'events' : 'sections';
      // A second table of a kind the current meeting already has starts the next meeting (a
      // restart exported into one file without a second summary).
      if (!meeting || meeting.format !== format || meeting.columns[header.kind]) {
        meeting = emptyMeeting(format);
        meetings.push(meeting);
      }
      meeting.columns[header.kind] = header.columns;
      table = header;
      return;
    }
    if (table && meeting) {
      meeting[table.kind].push(line);
      return;
    }
    const key = summaryByHeader.get(headerKey(cells[0] ?? ''));
    if (key) {
      if (!meeting) {
        meeting = emptyMeeting('sections');
        meetings.push(meeting);
      }
      const value = cells.slice(1).find(Boolean);
      if (value === undefined) return;
      if (key === 'title') meeting.title = value;
      else meeting[key] = { text: value, line: index + 1 };
    }
  });
  return meetings.filter(hasContent);
}

function dateTexts(meeting: DraftMeeting): string[] {
  const texts: string[] = [];
  if (meeting.start) texts.push(meeting.start.text);
  if (meeting.end) texts.push(meeting.end.text);
  const add = (rows: Line[], columns: Map<Column, number> | undefined, which: Column[]) => {
    for (const row of rows) for (const column of which) {
      const index = columns?.get(column);
      if (index !== undefined && row.cells[index]) texts.push(row.cells[index]);
    }
  };
  add(meeting.participants, meeting.columns.participants, ['firstJoin', 'lastLeave']);
  add(meeting.activities, meeting.columns.activities, ['joinTime', 'leaveTime']);
  add(meeting.events, meeting.columns.events, ['timestamp']);
  return texts;
}

/** One file has one locale: a single date with a day above 12 settles the order for all of them. */
function dateOrderOf(texts: string[], timeZone: string, referenceTime: number): DateOrder {
  const hints = new Set(texts.map(slashHint));
  if (hints.has('DMY')) return 'DMY';
  if (hints.has('MDY')) return 'MDY';
  const distance = (order: DateOrder) => {
    const first = texts.map((text) => parseWallClock(text, order)).find((clock) => clock !== undefined);
    return first ? Math.abs(instantOf(first, timeZone) - referenceTime) : Infinity;
  };
  return distance('MDY') < distance('DMY') ? 'MDY' : 'DMY';
}

function notATeamsReport(file: number, name: string, why: string): ValidationError {
  return new ValidationError(
    `"${name}" is not a Microsoft Teams attendance report (${why}). Expected ${EXPECTED_FORMAT}. Download the report from Teams again and upload it as it is.`,
    { [`files.${file}`]: [`must be ${EXPECTED_FORMAT}`] },
  );
}

interface Builder {
  attendees: Map<string, TeamsAttendee>;
  unreadable: UnreadableRow[];
}

function attendeeKey(name: string, email?: string, upn?: string): string {
  if (email) return `email:${email.toLowerCase()}`;
  if (upn) return `upn:${upn.toLowerCase()}`;
  return `name:${name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ')}`;
}

function identity(
  builder: Builder,
  file: number,
  line: number,
  fields: { name: string; email?: string; upn?: string; role: TeamsRole },
): TeamsAttendee {
  const key = attendeeKey(fields.name, fields.email, fields.upn);
  let attendee = builder.attendees.get(key);
  if (!attendee) {
    attendee = { key, name: fields.name, role: fields.role, intervals: [], file, line };
    builder.attendees.set(key, attendee);
  }
  attendee.email ??= fields.email;
  attendee.upn ??= fields.upn;
  // The strongest role seen wins: an organizer stays one across a restart.
  if (fields.role === 'organizer' || (fields.role === 'presenter' && attendee.role === 'attendee')) attendee.role = fields.role;
  return attendee;
}

function emailLike(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : undefined;
}

/**
 * Reads every file into meetings, attendees with their intervals, and the rows it could not read
 * (with their line numbers). A file that is not a Teams report at all is refused with a message
 * naming the expected format.
 */
export function parseTeamsReports(files: readonly ReportFile[], options: ParseOptions): ParsedTeamsReports {
  const builder: Builder = { attendees: new Map(), unreadable: [] };
  const meetings: TeamsMeeting[] = [];

  files.forEach((file, fileIndex) => {
    const text = decodeReport(file.bytes);
    if (text === undefined) throw notATeamsReport(fileIndex, file.name, 'it is not UTF-16 or UTF-8 text');
    const drafts = readStructure(text);
    if (drafts.length === 0) throw notATeamsReport(fileIndex, file.name, 'no table of participants or join and leave times was found');
    const order = dateOrderOf(drafts.flatMap(dateTexts), options.timeZone, options.referenceTime);
    const at = (value: string | undefined): number | undefined => {
      const clock = value ? parseWallClock(value, order) : undefined;
      return clock ? instantOf(clock, options.timeZone) : undefined;
    };
    const unreadable = (line: number, reason: UnreadableReason, problem: string, value?: string) =>
      builder.unreadable.push({ file: fileIndex, fileName: file.name, line, reason, ...(value !== undefined ? { value } : {}), problem });

    for (const draft of drafts) {
      const intervals: TeamsInterval[] = [];
      const cell = (row: Line, columns: Map<Column, number> | undefined, column: Column) => {
        const index = columns?.get(column);
        return index === undefined ? undefined : row.cells[index] || undefined;
      };
      const identityOf = (row: Line, columns: Map<Column, number> | undefined) => {
        const name = cell(row, columns, 'name');
        if (!name) return undefined;
        return {
          name,
          email: emailLike(cell(row, columns, 'email')),
          upn: emailLike(cell(row, columns, 'upn')),
          role: roleOf(cell(row, columns, 'role')),
        };
      };
      const interval = (row: Line, startText: string | undefined, endText: string | undefined): TeamsInterval | undefined => {
        const start = at(startText);
        const end = at(endText);
        if (start === undefined || end === undefined) {
          const bad = start === undefined ? startText : endText;
          if (bad) unreadable(row.number, 'unknown_time', `the time "${bad}" is not a date and time this reader knows`, bad);
          else unreadable(row.number, 'missing_time', 'a join or leave time is missing');
          return undefined;
        }
        if (end < start) {
          unreadable(row.number, 'leave_before_join', 'the leave time is before the join time');
          return undefined;
        }
        return { start, end };
      };

      // Participants first: they carry the UPN, which activity rows lack; activity rows without an
      // email are tied to a participant row by the name as written.
      const keyByName = new Map<string, string>();
      const participantColumns = draft.columns.participants;
      const hasActivities = draft.activities.length > 0;
      for (const row of draft.participants) {
        const fields = identityOf(row, participantColumns);
        if (!fields) {
          unreadable(row.number, 'no_name', 'the row has no name');
          continue;
        }
        const attendee = identity(builder, fileIndex, row.number, fields);
        keyByName.set(fields.name, attendee.key);
        if (hasActivities) continue;
        const span = interval(row, cell(row, participantColumns, 'firstJoin'), cell(row, participantColumns, 'lastLeave'));
        if (!span) continue;
        // Without per-interval rows, first join to last leave may span a gap; the stated duration caps it.
        const duration = parseDurationMs(cell(row, participantColumns, 'duration'));
        const capped = duration !== undefined && duration < span.end - span.start ? { start: span.start, end: span.start + duration } : span;
        attendee.intervals.push(capped);
        intervals.push(span);
      }

      const activityColumns = draft.columns.activities;
      for (const row of draft.activities) {
        const fields = identityOf(row, activityColumns);
        if (!fields) {
          unreadable(row.number, 'no_name', 'the row has no name');
          continue;
        }
        const known = !fields.email ? keyByName.get(fields.name) : undefined;
        const attendee = (known ? builder.attendees.get(known) : undefined) ?? identity(builder, fileIndex, row.number, fields);
        const span = interval(row, cell(row, activityColumns, 'joinTime'), cell(row, activityColumns, 'leaveTime'));
        if (!span) continue;
        attendee.intervals.push(span);
        intervals.push(span);
      }

      const eventColumns = draft.columns.events;
      const events: { attendee: TeamsAttendee; time: number; join: boolean; line: number }[] = [];
      for (const row of draft.events) {
        const fields = identityOf(row, eventColumns);
        const action = headerKey(cell(row, eventColumns, 'userAction') ?? '');
        const timestampText = cell(row, eventColumns, 'timestamp');
        const time = at(timestampText);
        if (!fields) {
          unreadable(row.number, 'no_name', 'the row has no name');
          continue;
        }
        const join = /^(joined|join|присоедин|вош|қосыл)/.test(action);
        const leave = /^(left|leave|покинул|вышел|выш|шықты|кетті)/.test(action);
        if (!join && !leave) {
          const written = cell(row, eventColumns, 'userAction') ?? '';
          unreadable(row.number, 'unknown_action', `the action "${written}" is neither Joined nor Left`, written);
          continue;
        }
        if (time === undefined) {
          if (timestampText) unreadable(row.number, 'unknown_time', `the time "${timestampText}" is not a date and time this reader knows`, timestampText);
          else unreadable(row.number, 'missing_time', 'the timestamp is missing');
          continue;
        }
        events.push({ attendee: identity(builder, fileIndex, row.number, fields), time, join, line: row.number });
      }
      if (events.length > 0) {
        const reportEnd = events.reduce((latest, event) => Math.max(latest, event.time), -Infinity);
        const open = new Map<TeamsAttendee, { since: number; depth: number }>();
        for (const event of [...events].sort((a, b) => a.time - b.time || a.line - b.line)) {
          const state = open.get(event.attendee);
          if (event.join) {
            // A second join while in the meeting is a second device: the person is present once.
            if (state) state.depth++;
            else open.set(event.attendee, { since: event.time, depth: 1 });
          } else if (!state) {
            unreadable(event.line, 'left_without_join', 'a "Left" with no "Joined" before it');
          } else if (--state.depth === 0) {
            event.attendee.intervals.push({ start: state.since, end: event.time });
            intervals.push({ start: state.since, end: event.time });
            open.delete(event.attendee);
          }
        }
        // Still in the meeting when the list was downloaded: present until its last event.
        for (const [attendee, state] of open) {
          attendee.intervals.push({ start: state.since, end: reportEnd });
          intervals.push({ start: state.since, end: reportEnd });
        }
      }

      // Reduced, not spread: a large report has more intervals than a call may take arguments.
      const earliest = intervals.length ? intervals.reduce((min, span) => Math.min(min, span.start), Infinity) : undefined;
      const latest = intervals.length ? intervals.reduce((max, span) => Math.max(max, span.end), -Infinity) : undefined;
      const start = at(draft.start?.text) ?? earliest;
      const end = at(draft.end?.text) ?? latest;
      if (draft.start && at(draft.start.text) === undefined) unreadable(draft.start.line, 'unknown_time', `the start time "${draft.start.text}" is not a date and time this reader knows`, draft.start.text);
      if (draft.end && at(draft.end.text) === undefined) unreadable(draft.end.line, 'unknown_time', `the end time "${draft.end.text}" is not a date and time this reader knows`, draft.end.text);
      if (start === undefined || end === undefined) continue;
      meetings.push({ file: fileIndex, format: draft.format, ...(draft.title ? { title: draft.title } : {}), start, end });
    }
    if (!meetings.some((meeting) => meeting.file === fileIndex)) {
      throw notATeamsReport(fileIndex, file.name, 'none of its rows has a join and leave time this reader could read');
    }
  });

  return { meetings, attendees: [...builder.attendees.values()], unreadable: builder.unreadable };
}
