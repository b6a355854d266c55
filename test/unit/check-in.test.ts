import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, normalizeCode } from '../../shared/domain/check-in-code';
import {
  CODE_PERIOD_MS,
  codeFor,
  issueCheckInCode,
  resolveCheckIn,
  windowAt,
  type CheckInCandidate,
} from '../../shared/domain/check-in';
import { ConflictError } from '../../shared/errors';
import { checkInBodySchema } from '../../shared/schemas/attendance';
import type { Training } from '../../shared/schemas/training';

const key = new TextEncoder().encode('a-test-key-that-is-long-enough-for-hmac');
const otherKey = new TextEncoder().encode('another-test-key-that-is-long-enough!!');
const MINUTE = 60_000;
// 10:00–13:00 Almaty, and the same the next day.
const start = Date.parse('2026-12-01T05:00:00Z');
const end = start + 180 * MINUTE;

type T = Pick<Training, 'id' | 'title' | 'status' | 'sessions'>;

function trainingOf(id: string, status: Training['status'] = 'published'): T {
  return {
    id,
    title: { kk: 'Көшбасшылық', en: `Leadership ${id}` },
    status,
    sessions: [
      { id: `${id}-s1`, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() },
      { id: `${id}-s2`, startsAt: new Date(start + 1440 * MINUTE).toISOString(), endsAt: new Date(end + 1440 * MINUTE).toISOString() },
    ],
  };
}

const mine = trainingOf('mine');
const theirs = trainingOf('theirs');
const confirmedIn = (training: T): CheckInCandidate<T> => ({ training, registration: { registrationId: `r-${training.id}`, status: 'confirmed' } });

function issue(training: T, sessionIndex: number, atMs: number): string {
  return issueCheckInCode(key, training, training.sessions[sessionIndex]!, new Date(atMs)).code;
}

function rejection(run: () => unknown): ConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('check-in codes', () => {
  it('are six typeable characters, stable within a window and different per window, session, training and key', () => {
    const code = codeFor(key, 'mine', 'mine-s1', 42);
    expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    expect(code).not.toMatch(/[01OI]/);
    expect(codeFor(key, 'mine', 'mine-s1', 42)).toBe(code);
    const others = [
      codeFor(key, 'mine', 'mine-s1', 43),
      codeFor(key, 'mine', 'mine-s2', 42),
      codeFor(key, 'theirs', 'mine-s1', 42),
      codeFor(otherKey, 'mine', 'mine-s1', 42),
    ];
    for (const other of others) expect(other).not.toBe(code);
  });

  it('use the whole alphabet evenly', () => {
    const counts = new Map<string, number>();
    for (let window = 0; window < 2_000; window++) {
      for (const char of codeFor(key, 't', 's', window)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 12,000 characters over 32 symbols: 375 each on average.
    for (const count of counts.values()) expect(count).toBeGreaterThan(250);
  });

  it('read what people type: any case, spaces, dashes and Cyrillic look-alikes', () => {
    expect(normalizeCode(' ab3-k7m ')).toBe('AB3K7M');
    expect(normalizeCode('АВ3 КМР')).toBe('AB3KMP'); // Cyrillic А, В, К, М, Р
    expect(normalizeCode('сех')).toBe('CEX');
    expect(checkInBodySchema.parse({ code: 'ab3-k7m' })).toEqual({ code: 'AB3K7M' });
    expect(checkInBodySchema.safeParse({ code: 'AB0K7M' }).success).toBe(false);
    expect(checkInBodySchema.safeParse({ code: 'ABK7M' }).success).toBe(false);
    expect(checkInBodySchema.safeParse({ code: 'ABCDEF', session: 'x' }).success).toBe(false);
  });
});

describe('issuing a code', () => {
  const session = mine.sessions[0]!;

  it('rotates every minute and is accepted until the end of the next one', () => {
    const at = start + 30 * MINUTE + 20_000;
    const issued = issueCheckInCode(key, mine, session, new Date(at));
    const window = windowAt(at);
    expect(issued.code).toBe(codeFor(key, 'mine', session.id, window));
    expect(issued.rotatesAt).toBe(new Date((window + 1) * CODE_PERIOD_MS).toISOString());
    expect(issued.expiresAt).toBe(new Date((window + 2) * CODE_PERIOD_MS).toISOString());
    expect(issued.checkInOpensAt).toBe(new Date(start - 15 * MINUTE).toISOString());
    expect(issued.checkInClosesAt).toBe(session.endsAt);
  });

  it('never outlives the session', () => {
    const issued = issueCheckInCode(key, mine, session, new Date(end - 10_000));
    expect(issued.expiresAt).toBe(session.endsAt);
  });

  it('is possible from an hour before the start until the end, for a published training only', () => {
    expect(() => issueCheckInCode(key, mine, session, new Date(start - 60 * MINUTE))).not.toThrow();
    expect(rejection(() => issueCheckInCode(key, mine, session, new Date(start - 61 * MINUTE))).reason).toBe('check_in_not_open');
    expect(rejection(() => issueCheckInCode(key, mine, session, new Date(end))).reason).toBe('session_ended');
    for (const [status, reason] of [
      ['draft', 'not_published'],
      ['cancelled', 'cancelled'],
      ['closed', 'closed'],
    ] as const) {
      expect(rejection(() => issueCheckInCode(key, { ...mine, status }, session, new Date(start))).reason).toBe(reason);
    }
  });
});

describe('checking in', () => {
  const during = start + 60 * MINUTE;

  it('accepts the current code and the one before it, and finds the session', () => {
    const code = issue(mine, 0, during);
    const match = resolveCheckIn(key, code, [confirmedIn(theirs), confirmedIn(mine)], new Date(during));
    expect(match.training.id).toBe('mine');
    expect(match.session.id).toBe('mine-s1');
    expect(match.registration.registrationId).toBe('r-mine');
    expect(resolveCheckIn(key, code, [confirmedIn(mine)], new Date(during + CODE_PERIOD_MS)).session.id).toBe('mine-s1');
  });

  it('calls a code two windows old expired', () => {
    const code = issue(mine, 0, during);
    const next = windowAt(during) + 2;
    expect(rejection(() => resolveCheckIn(key, code, [confirmedIn(mine)], new Date(next * CODE_PERIOD_MS))).reason).toBe('code_expired');
    expect(rejection(() => resolveCheckIn(key, code, [confirmedIn(mine)], new Date(during + 3 * MINUTE))).reason).toBe('code_expired');
  });

  it('refuses another training\'s code while my session runs', () => {
    const code = issue(theirs, 0, during);
    const error = rejection(() => resolveCheckIn(key, code, [confirmedIn(mine)], new Date(during)));
    expect(error.reason).toBe('wrong_session');
    expect(error.message).toContain('Leadership mine');
  });

  it('refuses the code of another session of my own training', () => {
    // Yesterday's session code is not even recognised today; today's session is named.
    const yesterday = issue(mine, 0, during);
    const today = during + 1440 * MINUTE;
    expect(rejection(() => resolveCheckIn(key, yesterday, [confirmedIn(mine)], new Date(today))).reason).toBe('wrong_session');
  });

  it('refuses someone who is not registered, or whose registration is cancelled', () => {
    const code = issue(mine, 0, during);
    expect(rejection(() => resolveCheckIn(key, code, [], new Date(during))).reason).toBe('not_registered');
    const withdrawn: CheckInCandidate<T> = { training: mine, registration: { registrationId: 'r', status: 'cancelled' } };
    expect(rejection(() => resolveCheckIn(key, code, [withdrawn], new Date(during))).reason).toBe('not_registered');
  });

  it('refuses someone on the waitlist', () => {
    const code = issue(mine, 0, during);
    const waiting: CheckInCandidate<T> = { training: mine, registration: { registrationId: 'r', status: 'waitlisted' } };
    expect(rejection(() => resolveCheckIn(key, code, [waiting], new Date(during))).reason).toBe('waitlisted');
  });

  it('opens 15 minutes before the start and closes at the end', () => {
    const early = start - 30 * MINUTE;
    const earlyCode = issue(mine, 0, early);
    const tooEarly = rejection(() => resolveCheckIn(key, earlyCode, [confirmedIn(mine)], new Date(early)));
    expect(tooEarly.reason).toBe('session_not_running');
    expect(tooEarly.message).toContain('opens at 1 Dec 2026, 09:45 Almaty time');

    const opening = start - 15 * MINUTE;
    expect(resolveCheckIn(key, issue(mine, 0, opening), [confirmedIn(mine)], new Date(opening)).session.id).toBe('mine-s1');

    const lastCode = issue(mine, 0, end - 20_000);
    const after = rejection(() => resolveCheckIn(key, lastCode, [confirmedIn(mine)], new Date(end + 5_000)));
    expect(after.reason).toBe('session_not_running');
    expect(after.message).toContain('ended at 1 Dec 2026, 13:00 Almaty time');
  });

  it('ignores trainings that are no longer published', () => {
    const code = issue(mine, 0, during);
    const cancelled = confirmedIn({ ...mine, status: 'cancelled' });
    expect(rejection(() => resolveCheckIn(key, code, [cancelled], new Date(during))).reason).toBe('not_registered');
  });

  it('refuses a code made with another key', () => {
    const forged = codeFor(otherKey, 'mine', 'mine-s1', windowAt(during));
    expect(rejection(() => resolveCheckIn(key, forged, [confirmedIn(mine)], new Date(during))).reason).toBe('wrong_session');
  });
});
