import { describe, expect, it } from 'vitest';
import {
  assertAttendanceEditable,
  assertSessionStarted,
  attendedHours,
  attendedMsOf,
  completion,
  isCompleted,
  minutesProblem,
  type AttendanceMark,
} from '../../shared/domain/attendance';
import { ConflictError } from '../../shared/errors';
import type { Training } from '../../shared/schemas/training';

const HOUR = 3_600_000;
const base = Date.parse('2026-12-01T05:00:00Z');

/** `count` daily sessions of `hours` each. */
function sessions(count: number, hours = 3) {
  return Array.from({ length: count }, (_, index) => ({
    id: `s${index + 1}`,
    startsAt: new Date(base + index * 24 * HOUR).toISOString(),
    endsAt: new Date(base + index * 24 * HOUR + hours * HOUR).toISOString(),
  }));
}

function training(overrides: Partial<Training> = {}) {
  return { sessions: sessions(5), completionThreshold: 0.8, feedbackRequired: false, ...overrides };
}

const present = (sessionId: string): AttendanceMark => ({ sessionId, status: 'present' });
const absent = (sessionId: string): AttendanceMark => ({ sessionId, status: 'absent' });
const late = (sessionId: string, minutes: number): AttendanceMark => ({ sessionId, status: 'late', minutes });

describe('the time one mark earns', () => {
  const session = sessions(1)[0]!;

  it('is nothing when unmarked or absent, whatever minutes say', () => {
    expect(attendedMsOf(session, undefined)).toBe(0);
    expect(attendedMsOf(session, { status: 'absent' })).toBe(0);
    expect(attendedMsOf(session, { status: 'absent', minutes: 120 })).toBe(0);
  });

  it('is the whole session when present or late without minutes', () => {
    expect(attendedMsOf(session, { status: 'present' })).toBe(3 * HOUR);
    expect(attendedMsOf(session, { status: 'late' })).toBe(3 * HOUR);
  });

  it('is the minutes given for a late arrival or a partial attendance', () => {
    expect(attendedMsOf(session, { status: 'late', minutes: 150 })).toBe(150 * 60_000);
    expect(attendedMsOf(session, { status: 'present', minutes: 90 })).toBe(90 * 60_000);
    expect(attendedMsOf(session, { status: 'late', minutes: 0 })).toBe(0);
  });

  it('never exceeds the session, and never goes below zero', () => {
    expect(attendedMsOf(session, { status: 'late', minutes: 181 })).toBe(3 * HOUR);
    expect(attendedMsOf(session, { status: 'present', minutes: 1440 })).toBe(3 * HOUR);
    expect(attendedMsOf(session, { status: 'late', minutes: -5 })).toBe(0);
  });
});

describe('attended hours', () => {
  it('adds the attended sessions and honours late minutes', () => {
    const all = sessions(5);
    expect(attendedHours(all, [present('s1'), late('s2', 90), absent('s3'), present('s5')])).toBe(7.5);
    expect(attendedHours(all, [])).toBe(0);
  });

  it('counts sessions of different lengths by their own duration', () => {
    const mixed = [...sessions(1, 1), ...sessions(2, 4).slice(1)];
    expect(attendedHours(mixed, [present('s1'), present('s2')])).toBe(5);
  });

  it('ignores marks of sessions the training does not have', () => {
    expect(attendedHours(sessions(2), [present('s1'), present('gone')])).toBe(3);
  });
});

describe('completion', () => {
  it('completes after missing 1 of 5 equal sessions at 0.8, not after missing 2', () => {
    const four = [present('s1'), present('s2'), absent('s3'), present('s4'), present('s5')];
    const three = [present('s1'), absent('s2'), absent('s3'), present('s4'), present('s5')];
    expect(isCompleted({ training: training(), attendance: four, feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: training(), attendance: three, feedbackSubmitted: false })).toBe(false);
    expect(completion({ training: training(), attendance: four, feedbackSubmitted: false })).toEqual({
      attendedHours: 12,
      plannedHours: 15,
      hoursMet: true,
      feedbackMet: true,
      completed: true,
    });
  });

  it('counts every planned hour, not only the sessions held so far', () => {
    // Two of five sessions held, both attended: 100 % of what happened, 40 % of the training.
    expect(isCompleted({ training: training(), attendance: [present('s1'), present('s2')], feedbackSubmitted: false })).toBe(false);
  });

  it('is exact at the boundary, to the minute', () => {
    // 80 % of 15 h is 720 minutes: 9 h in three sessions plus 180 minutes completes, 179 does not.
    const upTo = (minutes: number) => [present('s1'), present('s2'), present('s3'), late('s4', minutes), absent('s5')];
    expect(isCompleted({ training: training(), attendance: upTo(180), feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: training(), attendance: upTo(179), feedbackSubmitted: false })).toBe(false);
  });

  it('does not trip over floating point: 0.7 × 10 h is 7 h, and 7 h completes', () => {
    // In floating point 0.7 * 10 is 7.000000000000001 and 0.3 * 10 is 3.0000000000000004.
    const ten = { sessions: sessions(10, 1), feedbackRequired: false };
    const attend = (count: number) => Array.from({ length: count }, (_, index) => present(`s${index + 1}`));
    expect(isCompleted({ training: { ...ten, completionThreshold: 0.7 }, attendance: attend(7), feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: { ...ten, completionThreshold: 0.3 }, attendance: attend(3), feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: { ...ten, completionThreshold: 0.3 }, attendance: attend(2), feedbackSubmitted: false })).toBe(false);
  });

  it('reads the threshold to 0.01 %, as it is entered', () => {
    // Two of three equal hours are 66.66…%: enough for 66.66 %, not for 2/3 read as 66.67 %.
    const three = { sessions: sessions(3, 1), feedbackRequired: false };
    const two = [present('s1'), present('s2')];
    expect(isCompleted({ training: { ...three, completionThreshold: 0.6666 }, attendance: two, feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: { ...three, completionThreshold: 2 / 3 }, attendance: two, feedbackSubmitted: false })).toBe(false);
  });

  it('weighs sessions by their length', () => {
    const uneven = { sessions: [...sessions(1, 1), ...sessions(2, 4).slice(1)], completionThreshold: 0.8, feedbackRequired: false };
    // 4 of 5 hours: exactly 80 %.
    expect(isCompleted({ training: uneven, attendance: [present('s2')], feedbackSubmitted: false })).toBe(true);
    expect(isCompleted({ training: uneven, attendance: [present('s1'), late('s2', 179)], feedbackSubmitted: false })).toBe(false);
  });

  it('needs the feedback when the training requires it, and only then', () => {
    const all = sessions(5).map((session) => present(session.id));
    const requiring = training({ feedbackRequired: true });
    expect(isCompleted({ training: requiring, attendance: all, feedbackSubmitted: false })).toBe(false);
    expect(isCompleted({ training: requiring, attendance: all, feedbackSubmitted: true })).toBe(true);
    expect(isCompleted({ training: training(), attendance: all, feedbackSubmitted: false })).toBe(true);
    // Feedback alone is not enough.
    expect(isCompleted({ training: requiring, attendance: [], feedbackSubmitted: true })).toBe(false);
  });

  it('takes the thresholds 0 and 1 literally', () => {
    expect(isCompleted({ training: training({ completionThreshold: 0 }), attendance: [], feedbackSubmitted: false })).toBe(true);
    const allButOneMinute = [...sessions(4).map((session) => present(session.id)), late('s5', 179)];
    expect(isCompleted({ training: training({ completionThreshold: 1 }), attendance: allButOneMinute, feedbackSubmitted: false })).toBe(false);
    const all = sessions(5).map((session) => present(session.id));
    expect(isCompleted({ training: training({ completionThreshold: 1 }), attendance: all, feedbackSubmitted: false })).toBe(true);
  });

  it('refuses a training without sessions, which the schedule rules never allow', () => {
    expect(() => isCompleted({ training: training({ sessions: [] }), attendance: [], feedbackSubmitted: true })).toThrow(/at least one session/);
  });

  it('agrees with whole-minute arithmetic on every combination of marks over five sessions', () => {
    // Each session is 3 h = 180 min; "present, 200 min" is capped at 180.
    const options: { mark?: Omit<AttendanceMark, 'sessionId'>; minutes: number }[] = [
      { minutes: 0 },
      { mark: { status: 'absent' }, minutes: 0 },
      { mark: { status: 'present' }, minutes: 180 },
      { mark: { status: 'late', minutes: 144 }, minutes: 144 },
      { mark: { status: 'present', minutes: 200 }, minutes: 180 },
    ];
    const percents = [0, 50, 80, 90, 100];
    const all = sessions(5);
    const disagreements: unknown[] = [];
    let checked = 0;
    for (let combination = 0; combination < options.length ** 5; combination++) {
      const attendance: AttendanceMark[] = [];
      let minutes = 0;
      for (let session = 0, rest = combination; session < 5; session++, rest = Math.floor(rest / options.length)) {
        const option = options[rest % options.length]!;
        minutes += option.minutes;
        if (option.mark) attendance.push({ sessionId: `s${session + 1}`, ...option.mark });
      }
      if (attendedHours(all, attendance) !== minutes / 60) disagreements.push({ attendance, minutes });
      for (const percent of percents) {
        for (const [feedbackRequired, feedbackSubmitted] of [[false, false], [true, false], [true, true]] as const) {
          const expected = minutes * 100 >= percent * 900 && (!feedbackRequired || feedbackSubmitted);
          const training = { sessions: all, completionThreshold: percent / 100, feedbackRequired };
          if (isCompleted({ training, attendance, feedbackSubmitted }) !== expected) {
            disagreements.push({ attendance, percent, feedbackRequired, feedbackSubmitted });
          }
          checked++;
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBe(5 ** 5 * 5 * 3);
  });
});

describe('when attendance can be taken', () => {
  it('only for a published training: never once it is closed', () => {
    expect(() => assertAttendanceEditable({ status: 'published' })).not.toThrow();
    for (const [status, reason] of [
      ['closed', 'closed'],
      ['cancelled', 'cancelled'],
      ['draft', 'not_published'],
    ] as const) {
      const error = (() => {
        try {
          assertAttendanceEditable({ status });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ reason });
    }
  });

  it('only for a session that has started', () => {
    const session = sessions(1)[0]!;
    expect(() => assertSessionStarted(session, new Date(base - 1))).toThrow(ConflictError);
    expect(() => assertSessionStarted(session, new Date(base))).not.toThrow();
    expect(() => assertSessionStarted(session, new Date(base + 48 * HOUR))).not.toThrow();
  });

  it('refuses minutes beyond the length of the session', () => {
    const session = sessions(1)[0]!;
    expect(minutesProblem(session, undefined)).toBeUndefined();
    expect(minutesProblem(session, 180)).toBeUndefined();
    expect(minutesProblem(session, 181)).toMatch(/180 minutes/);
  });
});
