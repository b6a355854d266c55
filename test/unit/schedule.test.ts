import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import holidaysFile from '../../config/kz-holidays.json' with { type: 'json' };
import { generateSchedule, holidayOn, MAX_SESSIONS, type HolidayList, type ScheduleSpec, type Weekday } from '../../web/src/schedule';
import { draftSessionsOf } from '../../web/src/training-form';

const holidays: HolidayList = holidaysFile;

function dates(spec: ScheduleSpec): string[] {
  const result = generateSchedule(spec);
  if (!result.ok) throw new Error(`unexpected problems ${result.problems.join(', ')}`);
  return result.sessions.map((session) => session.date);
}

const base: ScheduleSpec = { firstDate: '2026-03-02', time: '09:30', durationMinutes: 180, repeat: { kind: 'daily' }, end: { count: 3 } };

describe('the schedule generator', () => {
  it('repeats every day from the first date at the time given, for the duration given', () => {
    const result = generateSchedule(base);
    expect(result).toEqual({
      ok: true,
      sessions: [
        { date: '2026-03-02', startsAt: '2026-03-02T09:30', endsAt: '2026-03-02T12:30' },
        { date: '2026-03-03', startsAt: '2026-03-03T09:30', endsAt: '2026-03-03T12:30' },
        { date: '2026-03-04', startsAt: '2026-03-04T09:30', endsAt: '2026-03-04T12:30' },
      ],
    });
  });

  it('skips Saturday and Sunday for every weekday', () => {
    // 2026-03-05 is a Thursday.
    expect(dates({ ...base, firstDate: '2026-03-05', repeat: { kind: 'weekdays' }, end: { count: 4 } })).toEqual([
      '2026-03-05',
      '2026-03-06',
      '2026-03-09',
      '2026-03-10',
    ]);
  });

  it('runs weekly on the chosen days, starting at the first chosen day on or after the first date', () => {
    // From Wednesday 4 March, on Tuesdays and Thursdays, until 19 March.
    expect(dates({ ...base, firstDate: '2026-03-04', repeat: { kind: 'weekly', days: [2, 4] }, end: { until: '2026-03-19' } })).toEqual([
      '2026-03-05',
      '2026-03-10',
      '2026-03-12',
      '2026-03-17',
      '2026-03-19',
    ]);
  });

  it('skips removed dates; with a count the series runs on past them, with an end date it does not', () => {
    const skip = ['2026-03-03'];
    expect(dates({ ...base, skip })).toEqual(['2026-03-02', '2026-03-04', '2026-03-05']);
    expect(dates({ ...base, skip, end: { until: '2026-03-04' } })).toEqual(['2026-03-02', '2026-03-04']);
  });

  it('lets an evening session run past midnight', () => {
    const result = generateSchedule({ ...base, time: '22:00', durationMinutes: 150, end: { count: 1 } });
    expect(result).toEqual({ ok: true, sessions: [{ date: '2026-03-02', startsAt: '2026-03-02T22:00', endsAt: '2026-03-03T00:30' }] });
  });

  it('names every field it cannot use', () => {
    expect(generateSchedule({ ...base, firstDate: '2026-02-30', time: '25:00', durationMinutes: 0 })).toEqual({
      ok: false,
      problems: ['firstDate', 'time', 'durationMinutes'],
    });
    expect(generateSchedule({ ...base, repeat: { kind: 'weekly', days: [] }, end: { count: 0 } })).toEqual({ ok: false, problems: ['days', 'count'] });
    expect(generateSchedule({ ...base, end: { until: '2026-03-01' } })).toEqual({ ok: false, problems: ['until'] });
    expect(generateSchedule({ ...base, end: { count: MAX_SESSIONS + 1 } })).toEqual({ ok: false, problems: ['count'] });
    // Once a week, 200 sessions would take four years.
    expect(generateSchedule({ ...base, repeat: { kind: 'weekly', days: [1] }, end: { count: MAX_SESSIONS } })).toEqual({ ok: false, problems: ['count'] });
    expect(generateSchedule({ ...base, end: { count: MAX_SESSIONS } })).toMatchObject({ ok: true, sessions: { length: MAX_SESSIONS } });
  });

  it('never gives more sessions than asked or than the API takes, each on a chosen weekday, in order', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 100 }),
        (first, days, count) => {
          const firstDate = first.toISOString().slice(0, 10);
          const result = generateSchedule({ ...base, firstDate, repeat: { kind: 'weekly', days: days as Weekday[] }, end: { count } });
          if (!result.ok) return false;
          const weekdays = result.sessions.map((session) => ((new Date(`${session.date}T00:00Z`).getUTCDay() + 6) % 7) + 1);
          return (
            result.sessions.length === count &&
            weekdays.every((weekday) => days.includes(weekday)) &&
            result.sessions.every((session, index) => index === 0 || session.date > result.sessions[index - 1]!.date) &&
            result.sessions[0]!.date >= firstDate
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('becomes the form\'s editable session list, each with the venue and link given', () => {
    const result = generateSchedule({ ...base, end: { count: 2 } });
    if (!result.ok) throw new Error('expected sessions');
    expect(draftSessionsOf(result.sessions, { venue: ' Онлайн ', onlineUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x' })).toEqual([
      { startsAt: '2026-03-02T09:30', endsAt: '2026-03-02T12:30', venue: 'Онлайн', onlineUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x' },
      { startsAt: '2026-03-03T09:30', endsAt: '2026-03-03T12:30', venue: 'Онлайн', onlineUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x' },
    ]);
  });
});

describe('Kazakhstan public holidays', () => {
  it('are listed with names in kk, ru and en and valid dates', () => {
    for (const holiday of holidays.recurring) {
      expect(holiday.date).toMatch(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
      expect(Object.values(holiday.name).every((name) => name.length > 0)).toBe(true);
    }
    for (const holiday of holidays.dated) expect(new Date(`${holiday.date}T00:00Z`).toISOString().slice(0, 10)).toBe(holiday.date);
  });

  it('warn about Nauryz, Independence Day and a moving Kurban Ait, and about nothing on an ordinary day', () => {
    expect(holidayOn('2026-03-22T09:30', holidays)?.en).toBe('Nauryz');
    expect(holidayOn('2027-12-16', holidays)?.kk).toBe('Тәуелсіздік күні');
    expect(holidayOn('2026-05-27', holidays)?.ru).toBe('Курбан айт');
    expect(holidayOn('2025-05-27', holidays)).toBeUndefined();
    expect(holidayOn('2026-03-24', holidays)).toBeUndefined();
  });
});
