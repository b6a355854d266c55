/**
 * Self check-in with rotating codes. Pure functions (HMAC is arithmetic, not I/O): the key and
 * the clock come in as arguments.
 *
 * A code is HMAC-SHA256(key, "check-in-code/v1|{trainingId}|{sessionId}|{window}") cut to six
 * characters of an alphabet without 0/O/1/I, where window = floor(now / 60 s). Nothing is stored:
 * a code is recomputed to check it. The trainer's screen shows a new code every window; the code
 * of the window before is still accepted, so someone typing across the minute boundary succeeds.
 *
 * The check-in body is the code alone, so the code must be tied to its session without storage.
 * It is checked against the sessions of the caller's own registrations (see resolveCheckIn): the
 * candidates are few (one person attends few trainings at once), and a code of any other session
 * — another training's, or another day's of the same training — cannot match, because the
 * session's ids are inside the HMAC. Six characters of 32 symbols are 2^30 possibilities, so
 * guessing the two codes accepted at a time is hopeless under the API's throttling.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConflictError } from '../errors';
import type { Registration } from '../schemas/registration';
import type { Training, TrainingSession } from '../schemas/training';
import { almatyMessageTime } from '../locale/almaty';
import { titleIn } from '../locale/title';
import { CODE_ALPHABET, CODE_LENGTH } from './check-in-code';

/** How often the code on the trainer's screen changes. */
export const CODE_PERIOD_MS = 60_000;
/** Check-in opens this long before a session starts and closes when it ends. */
export const CHECK_IN_OPENS_BEFORE_MS = 15 * 60_000;
/** A trainer may put the code up this long before the session (people scanning early are told when check-in opens). */
export const CODE_ISSUE_LEAD_MS = 60 * 60_000;
/** How many windows back a code is still recognised, to say "expired" rather than "wrong code". */
const RECOGNISED_WINDOWS_BACK = 15;

const HMAC_CONTEXT = 'check-in-code/v1';

type Session = Pick<TrainingSession, 'id' | 'startsAt' | 'endsAt'>;
type CheckInTraining = Pick<Training, 'id' | 'title' | 'status'> & { sessions: readonly Session[] };

export function windowAt(instantMs: number): number {
  return Math.floor(instantMs / CODE_PERIOD_MS);
}

export function codeFor(key: Uint8Array, trainingId: string, sessionId: string, window: number): string {
  const digest = createHmac('sha256', key).update(`${HMAC_CONTEXT}|${trainingId}|${sessionId}|${window}`).digest();
  let code = '';
  // 256 is a multiple of 32, so the low five bits of each byte are uniform.
  for (let index = 0; index < CODE_LENGTH; index++) code += CODE_ALPHABET[digest[index]! & 31];
  return code;
}

function sameCode(expected: string, given: Buffer): boolean {
  const bytes = Buffer.from(expected);
  return bytes.length === given.length && timingSafeEqual(bytes, given);
}

export function checkInOpensAtMs(session: Pick<Session, 'startsAt'>): number {
  return Date.parse(session.startsAt) - CHECK_IN_OPENS_BEFORE_MS;
}

/** "Running" for check-in: from 15 minutes before the start to the end. */
export function isCheckInOpen(session: Pick<Session, 'startsAt' | 'endsAt'>, nowMs: number): boolean {
  return nowMs >= checkInOpensAtMs(session) && nowMs < Date.parse(session.endsAt);
}

/** These messages are in English, so the title is the one an English reader sees. */
function titleOf(training: Pick<Training, 'title'>): string {
  return titleIn(training.title, 'en');
}

function sessionLabel(training: CheckInTraining, session: Session): string {
  const number = training.sessions.findIndex((candidate) => candidate.id === session.id) + 1;
  return `session ${number} of "${titleOf(training)}"`;
}

export interface IssuedCode {
  code: string;
  /** When the screen should show the next code. */
  rotatesAt: string;
  /** When this code stops being accepted: the end of the next window, or the session's end. */
  expiresAt: string;
  checkInOpensAt: string;
  checkInClosesAt: string;
}

/** The code to show now. Only a published training's session that has not ended has one. */
export function issueCheckInCode(key: Uint8Array, training: CheckInTraining, session: Session, now: Date): IssuedCode {
  switch (training.status) {
    case 'draft':
      throw new ConflictError('This training is still a draft; publish it before its sessions take place.', 'not_published');
    case 'cancelled':
      throw new ConflictError('This training was cancelled, so nobody can check in.', 'cancelled');
    case 'closed':
      throw new ConflictError('This training is closed and its attendance is final.', 'closed');
    case 'published':
      break;
  }
  const nowMs = now.getTime();
  const startMs = Date.parse(session.startsAt);
  const endMs = Date.parse(session.endsAt);
  if (nowMs < startMs - CODE_ISSUE_LEAD_MS) {
    throw new ConflictError(
      `It is too early for this session's check-in code: show it from ${almatyMessageTime(startMs - CODE_ISSUE_LEAD_MS)} ` +
        `(check-in opens at ${almatyMessageTime(checkInOpensAtMs(session))}).`,
      'check_in_not_open',
    );
  }
  if (nowMs >= endMs) {
    throw new ConflictError(
      'This session has ended, so participants can no longer check in. Record who attended on the attendance sheet instead.',
      'session_ended',
    );
  }
  const window = windowAt(nowMs);
  return {
    code: codeFor(key, training.id, session.id, window),
    rotatesAt: new Date(Math.min((window + 1) * CODE_PERIOD_MS, endMs)).toISOString(),
    expiresAt: new Date(Math.min((window + 2) * CODE_PERIOD_MS, endMs)).toISOString(),
    checkInOpensAt: new Date(checkInOpensAtMs(session)).toISOString(),
    checkInClosesAt: new Date(endMs).toISOString(),
  };
}

export interface CheckInCandidate<T extends CheckInTraining = CheckInTraining> {
  training: T;
  registration: Pick<Registration, 'registrationId' | 'status'>;
}

export interface CheckInMatch<T extends CheckInTraining = CheckInTraining> {
  training: T;
  session: Session;
  registration: Pick<Registration, 'registrationId' | 'status'>;
}

interface Found<T extends CheckInTraining> {
  candidate: CheckInCandidate<T>;
  session: Session;
  window: number;
}

interface Running<T extends CheckInTraining> {
  candidate: CheckInCandidate<T>;
  session: Session;
}

function notRegistered(): ConflictError {
  return new ConflictError(
    'This code is not for a session you are registered for that is running now. Check that you typed it exactly as shown; ' +
      'if it is right, you are not a confirmed participant of this training with this account — sign in with the email you ' +
      'registered with, or ask the trainer.',
    'not_registered',
  );
}

function wrongSession<T extends CheckInTraining>(running: Running<T>, found?: Found<T>): ConflictError {
  const { candidate, session } = running;
  const what = found ? `This code is for ${sessionLabel(found.candidate.training, found.session)}, not` : 'This is not the current code';
  return new ConflictError(
    `${what} of the session running now for you: ${sessionLabel(candidate.training, session)}, until ` +
      `${almatyMessageTime(session.endsAt)}. Type the code shown on the trainer's screen in that session, or scan its QR code again.`,
    'wrong_session',
  );
}

function problemWith<T extends CheckInTraining>(
  found: Found<T>,
  running: readonly Running<T>[],
  nowMs: number,
): ConflictError | undefined {
  const { candidate, session, window } = found;
  if (candidate.registration.status !== 'confirmed') {
    return new ConflictError(
      `You are on the waitlist of "${titleOf(candidate.training)}", not a confirmed participant, so you cannot check in. ` +
        'Ask the trainer whether a seat has become free.',
      'waitlisted',
    );
  }
  if (!isCheckInOpen(session, nowMs)) {
    const elsewhere = running.find((other) => other.session.id !== session.id);
    if (elsewhere) return wrongSession(elsewhere, found);
    return nowMs < checkInOpensAtMs(session)
      ? new ConflictError(
          `Check-in for ${sessionLabel(candidate.training, session)} opens at ${almatyMessageTime(checkInOpensAtMs(session))}, ` +
            '15 minutes before it starts. Try again then.',
          'session_not_running',
        )
      : new ConflictError(
          `${sessionLabel(candidate.training, session).replace(/^s/, 'S')} ended at ${almatyMessageTime(session.endsAt)}, so check-in ` +
            'is closed. Ask the trainer to record your attendance.',
          'session_not_running',
        );
  }
  if (window < windowAt(nowMs) - 1) {
    return new ConflictError(
      'This code has expired: the code changes every minute. Type the code the trainer\'s screen shows now, or scan the QR code again.',
      'code_expired',
    );
  }
  return undefined;
}

/**
 * Finds the session a code belongs to among the caller's registrations and says whether it
 * checks them in. Registrations that are cancelled and trainings that are not published are no
 * candidates. The code is compared (in constant time) with the codes of each candidate session
 * for the recent windows in which the trainer could have shown one; the current and previous
 * window check in (and the next, for clock skew between functions), older ones are "expired".
 *
 * Throws a ConflictError whose reason is one of: not_registered, waitlisted, wrong_session,
 * session_not_running, code_expired.
 */
export function resolveCheckIn<T extends CheckInTraining>(
  key: Uint8Array,
  code: string,
  candidates: readonly CheckInCandidate<T>[],
  now: Date,
): CheckInMatch<T> {
  const nowMs = now.getTime();
  const current = windowAt(nowMs);
  const given = Buffer.from(code);
  const live = candidates.filter(
    (candidate) => candidate.training.status === 'published' && candidate.registration.status !== 'cancelled',
  );

  const found: Found<T>[] = [];
  for (const candidate of live) {
    for (const session of candidate.training.sessions) {
      const first = Math.max(current - RECOGNISED_WINDOWS_BACK, windowAt(Date.parse(session.startsAt) - CODE_ISSUE_LEAD_MS));
      const last = Math.min(current + 1, windowAt(Date.parse(session.endsAt) - 1));
      for (let window = first; window <= last; window++) {
        if (sameCode(codeFor(key, candidate.training.id, session.id, window), given)) found.push({ candidate, session, window });
      }
    }
  }

  const running: Running<T>[] = live
    .filter((candidate) => candidate.registration.status === 'confirmed')
    .flatMap((candidate) =>
      candidate.training.sessions.filter((session) => isCheckInOpen(session, nowMs)).map((session) => ({ candidate, session })),
    );

  if (found.length === 0) {
    throw running[0] ? wrongSession(running[0]) : notRegistered();
  }
  let firstProblem: ConflictError | undefined;
  for (const match of found) {
    const problem = problemWith(match, running, nowMs);
    if (!problem) return { training: match.candidate.training, session: match.session, registration: match.candidate.registration };
    firstProblem ??= problem;
  }
  throw firstProblem!;
}
