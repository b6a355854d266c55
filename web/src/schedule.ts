/**
 * The training form's schedule generator: sessions that repeat, as a list the trainer still
 * edits. Pure: calendar dates and Almaty wall-clock times in, `datetime-local` values out (Almaty
 * is UTC+5 all year, so wall-clock arithmetic is exact).
 */

import { DAY_MS } from '../../shared/clock';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type Repeat = { kind: 'daily' } | { kind: 'weekdays' } | { kind: 'weekly'; days: readonly Weekday[] };

export interface ScheduleSpec {
  /** `YYYY-MM-DD` */
  firstDate: string;
  /** `HH:MM` */
  time: string;
  durationMinutes: number;
  repeat: Repeat;
  /** How many sessions, or the last date a session may fall on (`YYYY-MM-DD`). */
  end: { count: number } | { until: string };
  /** Dates the trainer removed: they are skipped, and with a count the series runs on past them. */
  skip?: readonly string[];
}

export interface GeneratedSession {
  date: string;
  /** `datetime-local` values, Almaty wall-clock time. */
  startsAt: string;
  endsAt: string;
}

export type ScheduleField = 'firstDate' | 'time' | 'durationMinutes' | 'days' | 'count' | 'until';

export type ScheduleResult = { ok: true; sessions: GeneratedSession[] } | { ok: false; problems: ScheduleField[] };

/** The API's limit on sessions per training. */
export const MAX_SESSIONS = 200;
/** A series longer than this is a typo in the end date. */
const MAX_SPAN_DAYS = 3 * 366;

function dayOf(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const value = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(value).toISOString().slice(0, 10) === date ? value : undefined;
}

function minutesOf(time: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

const localValue = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function weekdayOf(day: number): Weekday {
  return (((new Date(day).getUTCDay() + 6) % 7) + 1) as Weekday;
}

function repeats(repeat: Repeat, weekday: Weekday): boolean {
  switch (repeat.kind) {
    case 'daily':
      return true;
    case 'weekdays':
      return weekday <= 5;
    case 'weekly':
      return repeat.days.includes(weekday);
  }
}

export function generateSchedule(spec: ScheduleSpec): ScheduleResult {
  const problems: ScheduleField[] = [];
  const first = dayOf(spec.firstDate);
  const start = minutesOf(spec.time);
  if (first === undefined) problems.push('firstDate');
  if (start === undefined) problems.push('time');
  if (!Number.isInteger(spec.durationMinutes) || spec.durationMinutes < 1 || spec.durationMinutes > 24 * 60) problems.push('durationMinutes');
  if (spec.repeat.kind === 'weekly' && spec.repeat.days.length === 0) problems.push('days');
  let until: number | undefined;
  let count: number | undefined;
  if ('count' in spec.end) {
    count = spec.end.count;
    if (!Number.isInteger(count) || count < 1 || count > MAX_SESSIONS) problems.push('count');
  } else {
    until = dayOf(spec.end.until);
    if (until === undefined || (first !== undefined && (until < first || until - first > MAX_SPAN_DAYS * DAY_MS))) problems.push('until');
  }
  if (problems.length > 0 || first === undefined || start === undefined) return { ok: false, problems };

  const skipped = new Set(spec.skip ?? []);
  const sessions: GeneratedSession[] = [];
  for (let day = first; day - first <= MAX_SPAN_DAYS * DAY_MS; day += DAY_MS) {
    if (until !== undefined && day > until) break;
    if (count !== undefined && sessions.length >= count) break;
    if (sessions.length >= MAX_SESSIONS) break;
    const date = new Date(day).toISOString().slice(0, 10);
    if (!repeats(spec.repeat, weekdayOf(day)) || skipped.has(date)) continue;
    const startsAt = day + start * 60_000;
    sessions.push({ date, startsAt: localValue(startsAt), endsAt: localValue(startsAt + spec.durationMinutes * 60_000) });
  }
  // A count that three years cannot hold (200 sessions once a week) is a mistake, not a shorter series.
  if (count !== undefined && sessions.length < count && sessions.length < MAX_SESSIONS) return { ok: false, problems: ['count'] };
  return { ok: true, sessions };
}

// ---------------------------------------------------------------------------------------------
// Public holidays: warnings, never rules

export interface HolidayList {
  /** `MM-DD`, every year. */
  recurring: readonly { date: string; name: Record<'kk' | 'ru' | 'en', string> }[];
  /** `YYYY-MM-DD`: holidays whose date moves (Kurban Ait). */
  dated: readonly { date: string; name: Record<'kk' | 'ru' | 'en', string> }[];
}

/** The holiday a date (`YYYY-MM-DD`, or a `datetime-local` value) falls on, if any. */
export function holidayOn(date: string, holidays: HolidayList): Record<'kk' | 'ru' | 'en', string> | undefined {
  const day = date.slice(0, 10);
  return holidays.dated.find((holiday) => holiday.date === day)?.name ?? holidays.recurring.find((holiday) => holiday.date === day.slice(5))?.name;
}
