/**
 * From a Teams report's attendees to a session's attendance: who is who, and how many minutes of
 * the session each participant was in the meeting. Pure, no I/O.
 */
import { sessionStatusFromMinutes } from '../domain/attendance';
import type { TrainingSession } from '../schemas/training';
import type { TeamsAttendee, TeamsInterval, TeamsRole } from './teams-report';

export interface RosterEntry {
  registrationId: string;
  fullName: string;
  email: string;
}

export type MatchedBy = 'email' | 'upn' | 'name' | 'name-partial' | 'manual';

// ---------------------------------------------------------------------------------------------
// Names

/**
 * Cyrillic (Kazakh and Russian) and Latin letters folded to one skeleton, so "Әсел Қайратқызы",
 * "Асел Кайраткызы" and "Asel Qairatqyzy" read alike: people type Kazakh names on keyboards
 * without Kazakh letters, and Teams shows whatever the account was created with.
 */
const cyrillicToLatin: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i',
  і: 'i', к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'h', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '',
  э: 'e', ю: 'iu', я: 'ia',
};

function foldWord(word: string): string {
  const latin = [...word.normalize('NFC').toLowerCase()].map((char) => cyrillicToLatin[char] ?? char).join('');
  return latin
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .replace(/q/g, 'k')
    .replace(/x/g, 'h')
    .replace(/kh/g, 'h')
    .replace(/ş/g, 'sh')
    .replace(/y/g, 'i')
    .replace(/[^a-z0-9]/g, '');
}

/** The words of a name, folded and sorted, so that word order does not matter. */
export function nameTokens(name: string): string[] {
  const withoutNotes = name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
  return withoutNotes
    .split(/[\s,.;\-–—]+/u)
    .map(foldWord)
    .filter((token) => token.length > 0)
    .sort();
}

export function normalizedName(name: string): string {
  return nameTokens(name).join(' ');
}

function isSubset(small: readonly string[], large: readonly string[]): boolean {
  const pool = [...large];
  for (const token of small) {
    const index = pool.indexOf(token);
    if (index < 0) return false;
    pool.splice(index, 1);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Matching

/** The roster with its names folded once, not once per report row. */
export interface RosterIndex {
  entries: (RosterEntry & { tokens: string[]; name: string })[];
  byEmail: Map<string, RosterEntry>;
}

export function indexRoster(roster: readonly RosterEntry[]): RosterIndex {
  const entries = roster.map((entry) => {
    const tokens = nameTokens(entry.fullName);
    return { ...entry, tokens, name: tokens.join(' ') };
  });
  return { entries, byEmail: new Map(roster.map((entry) => [entry.email.toLowerCase(), entry])) };
}

export type MatchOutcome =
  | { kind: 'matched'; registrationId: string; by: MatchedBy }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'unmatched' }
  | { kind: 'excluded' };

/**
 * Email, then UPN, then the whole name, then a name whose words are all in one participant's
 * name (Teams often shows two of the three words of a Kazakh full name). A name step matches only
 * when exactly one participant fits; otherwise the trainer decides.
 */
export function matchAttendee(attendee: Pick<TeamsAttendee, 'name' | 'email' | 'upn'>, roster: readonly RosterEntry[] | RosterIndex): MatchOutcome {
  const index = 'byEmail' in roster ? roster : indexRoster(roster);
  const byEmail = (address: string | undefined) => (address ? index.byEmail.get(address.toLowerCase()) : undefined);
  const email = byEmail(attendee.email);
  if (email) return { kind: 'matched', registrationId: email.registrationId, by: 'email' };
  const upn = byEmail(attendee.upn);
  if (upn) return { kind: 'matched', registrationId: upn.registrationId, by: 'upn' };

  const tokens = nameTokens(attendee.name);
  if (tokens.length === 0) return { kind: 'unmatched' };
  const whole = index.entries.filter((entry) => entry.name === tokens.join(' '));
  if (whole.length === 1) return { kind: 'matched', registrationId: whole[0]!.registrationId, by: 'name' };
  if (whole.length > 1) return { kind: 'ambiguous', candidates: whole.map((entry) => entry.registrationId) };
  if (tokens.length < 2) return { kind: 'unmatched' };
  const partial = index.entries.filter((entry) => isSubset(tokens, entry.tokens));
  if (partial.length === 1) return { kind: 'matched', registrationId: partial[0]!.registrationId, by: 'name-partial' };
  if (partial.length > 1) return { kind: 'ambiguous', candidates: partial.map((entry) => entry.registrationId) };
  return { kind: 'unmatched' };
}

// ---------------------------------------------------------------------------------------------
// Minutes

/** Intervals cut to the session and merged, so two devices or overlapping rows count once. */
export function clippedMerged(intervals: readonly TeamsInterval[], session: Pick<TrainingSession, 'startsAt' | 'endsAt'>): TeamsInterval[] {
  const from = Date.parse(session.startsAt);
  const to = Date.parse(session.endsAt);
  const clipped = intervals
    .map((span) => ({ start: Math.max(span.start, from), end: Math.min(span.end, to) }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start);
  const merged: TeamsInterval[] = [];
  for (const span of clipped) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** Whole minutes in the session (rounded to the nearest; never more than the session's whole minutes). */
export function minutesPresent(intervals: readonly TeamsInterval[], session: Pick<TrainingSession, 'startsAt' | 'endsAt'>): number {
  const ms = clippedMerged(intervals, session).reduce((total, span) => total + span.end - span.start, 0);
  const sessionMinutes = Math.floor((Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000);
  return Math.min(sessionMinutes, Math.round(ms / 60_000));
}

// ---------------------------------------------------------------------------------------------
// The proposal

export interface ProposedAttendee {
  key: string;
  name: string;
  email?: string;
  role: TeamsRole;
  file: number;
  line: number;
  /** Minutes of the session this row alone accounts for. */
  minutes: number;
}

export interface ProposedMark {
  registrationId: string;
  fullName: string;
  email: string;
  status: 'present' | 'absent';
  minutes: number;
  /** The report rows counted for this participant and how each was matched; empty: found in no row. */
  matchedFrom: (ProposedAttendee & { by: MatchedBy })[];
}

export interface UnmatchedAttendee extends ProposedAttendee {
  reason: 'no_match' | 'ambiguous';
  /** For an ambiguous name: the participants it could be. */
  candidates?: string[];
}

export interface TeamsProposal {
  marks: ProposedMark[];
  /** Rows of the report that matched no participant (guests, typos, a second account). */
  unmatched: UnmatchedAttendee[];
  /** Organizers and presenters who are not participants, and rows the trainer excluded. */
  ignored: (ProposedAttendee & { reason: 'organizer' | 'presenter' | 'excluded' })[];
  /** Confirmed participants found in no row of the report. */
  notFound: string[];
}

/** A trainer's correction: this report row is this participant, or (null) nobody to count. */
export type MatchCorrections = Readonly<Record<string, string | null>>;

export interface ProposalInput {
  session: Pick<TrainingSession, 'startsAt' | 'endsAt'>;
  completionThreshold: number;
  roster: readonly RosterEntry[];
  attendees: readonly TeamsAttendee[];
  corrections?: MatchCorrections;
}

export function proposeAttendance({ session, completionThreshold, roster, attendees, corrections = {} }: ProposalInput): TeamsProposal {
  const intervalsByRegistration = new Map<string, TeamsInterval[]>();
  const fromByRegistration = new Map<string, ProposedMark['matchedFrom']>();
  const unmatched: UnmatchedAttendee[] = [];
  const ignored: TeamsProposal['ignored'] = [];
  const index = indexRoster(roster);

  for (const attendee of attendees) {
    const row: ProposedAttendee = {
      key: attendee.key,
      name: attendee.name,
      ...(attendee.email ? { email: attendee.email } : {}),
      role: attendee.role,
      file: attendee.file,
      line: attendee.line,
      minutes: minutesPresent(attendee.intervals, session),
    };
    const correction = corrections[attendee.key];
    const outcome: MatchOutcome =
      correction === null
        ? { kind: 'excluded' }
        : correction !== undefined
          ? { kind: 'matched', registrationId: correction, by: 'manual' }
          : matchAttendee(attendee, index);
    if (outcome.kind === 'matched') {
      intervalsByRegistration.set(outcome.registrationId, [
        ...(intervalsByRegistration.get(outcome.registrationId) ?? []),
        ...attendee.intervals,
      ]);
      const from = fromByRegistration.get(outcome.registrationId) ?? [];
      from.push({ ...row, by: outcome.by });
      fromByRegistration.set(outcome.registrationId, from);
    } else if (outcome.kind === 'excluded') {
      ignored.push({ ...row, reason: 'excluded' });
    } else if (attendee.role !== 'attendee') {
      ignored.push({ ...row, reason: attendee.role });
    } else {
      unmatched.push({ ...row, reason: outcome.kind === 'ambiguous' ? 'ambiguous' : 'no_match', ...(outcome.kind === 'ambiguous' ? { candidates: outcome.candidates } : {}) });
    }
  }

  const marks = roster.map((entry): ProposedMark => {
    const minutes = minutesPresent(intervalsByRegistration.get(entry.registrationId) ?? [], session);
    return {
      registrationId: entry.registrationId,
      fullName: entry.fullName,
      email: entry.email,
      status: sessionStatusFromMinutes(session, completionThreshold, minutes),
      minutes,
      matchedFrom: fromByRegistration.get(entry.registrationId) ?? [],
    };
  });
  return {
    marks,
    unmatched,
    ignored,
    notFound: marks.filter((mark) => mark.matchedFrom.length === 0).map((mark) => mark.registrationId),
  };
}
