import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import {
  assertAttendanceEditable,
  assertSessionStarted,
  completion,
  minutesProblem,
  plannedMs,
  roundHours,
  sessionDurationMs,
  sessionThresholdMinutes,
} from '../domain/attendance';
import { proposeAttendance, type ProposedMark, type TeamsProposal } from '../attendance/teams-match';
import { parseTeamsReports, type UnreadableRow } from '../attendance/teams-report';
import { issueCheckInCode, resolveCheckIn, type IssuedCode } from '../domain/check-in';
import { ALMATY_TIME_ZONE, almatyMessageTime } from '../locale/almaty';
import { canEdit, canOversee } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../errors';
import { publicUrl } from '../mail/format';
import type {
  AttendanceMarkInput,
  AttendanceRecord,
  AttendanceStatus,
  PutAttendanceBody,
  TeamsImportProvenance,
  TeamsReportBody,
} from '../schemas/attendance';
import type { Training, TrainingSession } from '../schemas/training';
import {
  findTrainingsByIds,
  listAllRegistrations,
  listAttendanceOfSession,
  listAttendanceOfTraining,
  recordCheckIn,
  writeAttendance,
} from '../store/attendance';
import { findRegistration, listRegistrationsOfPerson, type StoredRegistration } from '../store/registrations';
import { findTraining } from '../store/trainings';

async function loadTraining(trainingId: string): Promise<Training> {
  const stored = await findTraining(trainingId);
  if (!stored) throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  return stored.training;
}

function findSession(training: Training, sessionId: string): TrainingSession {
  const session = training.sessions.find((candidate) => candidate.id === sessionId);
  if (!session) {
    throw new NotFoundError('This training has no session with this id. Take the session ids from the training (GET /api/trainings/{id}).');
  }
  return session;
}

function assertCanTakeAttendance(principal: Principal, training: Training): void {
  if (!canEdit(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer or an administrator can take its attendance. Ask them to do it.');
  }
}

// ---------------------------------------------------------------------------------------------
// The trainer's attendance sheet

export interface AttendanceWriteResult {
  trainingId: string;
  sessionId: string;
  /** Marks that were new or different and have been saved. */
  written: number;
  /** Marks that were already recorded exactly so: a repeated request changes nothing. */
  unchanged: number;
}

function registrationProblem(registration: StoredRegistration | undefined): string | undefined {
  if (!registration) return 'is not a registration of this training';
  if (registration.status === 'waitlisted') return 'is on the waitlist, not a confirmed participant';
  if (registration.status === 'cancelled') return 'has withdrawn from this training';
  return undefined;
}

/** Absent means nothing attended, so its minutes are not kept (0 and "left out" are the same mark). */
function normalizedMark(mark: AttendanceMarkInput): Pick<AttendanceRecord, 'status' | 'minutes'> {
  return mark.status === 'absent' || mark.minutes === undefined ? { status: mark.status } : { status: mark.status, minutes: mark.minutes };
}

/** Who writes a set of marks: the trainer's sheet, or a report the trainer applies. */
type MarkOrigin = Pick<AttendanceRecord, 'source' | 'importedFrom'>;

/** What makes two imports the same: the files and what was read from them, not the object's key order. */
function provenanceKey(provenance: TeamsImportProvenance | undefined): string {
  if (!provenance) return '';
  return [provenance.files.map((file) => file.sha256).join(','), provenance.reportMinutes, provenance.matchedBy.join(',')].join('|');
}

function sameMark(
  previous: AttendanceRecord | undefined,
  mark: Pick<AttendanceRecord, 'status' | 'minutes'>,
  origin: MarkOrigin,
): boolean {
  return (
    previous?.source === origin.source &&
    previous.status === mark.status &&
    previous.minutes === mark.minutes &&
    provenanceKey(previous.importedFrom) === provenanceKey(origin.importedFrom)
  );
}

interface MarksToSave {
  principal: Principal;
  training: Training;
  session: TrainingSession;
  now: Date;
  records: readonly AttendanceMarkInput[];
  registrations: readonly StoredRegistration[];
  existing: readonly AttendanceRecord[];
  originOf: (mark: AttendanceMarkInput) => MarkOrigin;
}

/**
 * The one attendance write: every record is checked before anything is written (one bad record
 * and none is saved), and marks already recorded exactly so are not written again. A new mark
 * replaces a self check-in; the time of the check-in is kept with it.
 */
async function saveMarks({ principal, training, session, now, records, registrations, existing, originOf }: MarksToSave): Promise<AttendanceWriteResult> {
  const byRegistrationId = new Map(registrations.map((registration) => [registration.registrationId, registration]));
  const problems: FieldErrors = {};
  records.forEach((mark, index) => {
    const registration = registrationProblem(byRegistrationId.get(mark.registrationId));
    if (registration) (problems[`records.${index}.registrationId`] ??= []).push(registration);
    const minutes = minutesProblem(session, mark.minutes);
    if (minutes) (problems[`records.${index}.minutes`] ??= []).push(minutes);
  });
  if (Object.keys(problems).length > 0) {
    throw new ValidationError(
      'Some records cannot be saved, so none were. Correct the records listed and send the sheet again.',
      problems,
    );
  }

  const previous = new Map(existing.map((record) => [record.registrationId, record]));
  const recordedAt = now.toISOString();
  const changed: AttendanceRecord[] = records.flatMap((mark) => {
    const normalized = normalizedMark(mark);
    const origin = originOf(mark);
    const before = previous.get(mark.registrationId);
    if (sameMark(before, normalized, origin)) return [];
    return [
      {
        trainingId: training.id,
        sessionId: session.id,
        registrationId: mark.registrationId,
        ...normalized,
        source: origin.source,
        ...(origin.importedFrom ? { importedFrom: origin.importedFrom } : {}),
        recordedAt,
        recordedBy: principal.sub,
        ...(before?.checkedInAt ? { checkedInAt: before.checkedInAt } : {}),
      },
    ];
  });
  if (changed.length > 0 && (await writeAttendance(training.id, changed)) === 'training_not_open') {
    // Closed or cancelled between the read and the write: say which, as if it had been so before.
    assertAttendanceEditable(await loadTraining(training.id));
    throw new ConflictError('The training changed while saving the attendance. Reload it and send the sheet again.', 'concurrent_update');
  }
  return { trainingId: training.id, sessionId: session.id, written: changed.length, unchanged: records.length - changed.length };
}

/** Bulk and idempotent: see saveMarks. */
export async function recordAttendance(
  principal: Principal,
  trainingId: string,
  sessionId: string,
  body: PutAttendanceBody,
): Promise<AttendanceWriteResult> {
  const training = await loadTraining(trainingId);
  assertCanTakeAttendance(principal, training);
  assertAttendanceEditable(training);
  const session = findSession(training, sessionId);
  const now = clock.now();
  assertSessionStarted(session, now);

  const [registrations, existing] = await Promise.all([
    listAllRegistrations(trainingId),
    listAttendanceOfSession(trainingId, sessionId),
  ]);
  return saveMarks({ principal, training, session, now, records: body.records, registrations, existing, originOf: () => ({ source: 'trainer' }) });
}

// ---------------------------------------------------------------------------------------------
// A Teams meeting's attendance report

export interface TeamsImportMark extends ProposedMark {
  /** The session's mark before this import, if any. */
  current?: Pick<AttendanceRecord, 'status' | 'minutes' | 'source'>;
  /** The trainer asked to keep the current mark: the import does not write this participant. */
  leftUnchanged: boolean;
}

export interface TeamsImportResult {
  trainingId: string;
  sessionId: string;
  mode: 'preview' | 'apply';
  session: { startsAt: string; endsAt: string; minutes: number; thresholdMinutes: number };
  files: { name: string; sha256: string }[];
  meetings: { file: number; fileName: string; title?: string; format: 'sections' | 'events'; startsAt: string; endsAt: string }[];
  marks: TeamsImportMark[];
  unmatched: TeamsProposal['unmatched'];
  ignored: TeamsProposal['ignored'];
  notFound: string[];
  unreadable: UnreadableRow[];
  /** After `apply`: what the write did (a repeated apply of the same files changes nothing). */
  applied?: { written: number; unchanged: number };
}

/**
 * Reads the Teams report(s) of one session's meeting and proposes each confirmed participant's
 * mark; `apply` writes exactly that proposal (with the trainer's corrections) through the same
 * checks and all-or-nothing write as the trainer's sheet. The files are sent again with `apply`
 * rather than kept between the calls, so nothing is stored until the trainer says so.
 */
export async function importTeamsReport(
  principal: Principal,
  trainingId: string,
  sessionId: string,
  body: TeamsReportBody,
): Promise<TeamsImportResult> {
  const training = await loadTraining(trainingId);
  assertCanTakeAttendance(principal, training);
  assertAttendanceEditable(training);
  const session = findSession(training, sessionId);
  const now = clock.now();
  assertSessionStarted(session, now);

  const parsed = parseTeamsReports(body.files.map((file) => ({ name: file.name, bytes: file.content })), { timeZone: ALMATY_TIME_ZONE, referenceTime: Date.parse(session.startsAt) });
  const sessionStart = Date.parse(session.startsAt);
  const sessionEnd = Date.parse(session.endsAt);
  for (const meeting of parsed.meetings) {
    if (meeting.start < sessionEnd && meeting.end > sessionStart) continue;
    const fileName = body.files[meeting.file]!.name;
    throw new ConflictError(
      `The meeting in "${fileName}" ran from ${almatyMessageTime(meeting.start)} to ${almatyMessageTime(meeting.end)}, but this session is ` +
        `from ${almatyMessageTime(session.startsAt)} to ${almatyMessageTime(session.endsAt)}. Choose the session this meeting was for, ` +
        'or download the report of this session\'s meeting from Teams.',
      'meeting_outside_session',
      undefined,
      {
        fileName,
        meetingStartsAt: new Date(meeting.start).toISOString(),
        meetingEndsAt: new Date(meeting.end).toISOString(),
        sessionStartsAt: session.startsAt,
        sessionEndsAt: session.endsAt,
      },
    );
  }

  const [registrations, existing] = await Promise.all([
    listAllRegistrations(trainingId),
    listAttendanceOfSession(trainingId, sessionId),
  ]);
  const byRegistrationId = new Map(registrations.map((registration) => [registration.registrationId, registration]));
  const problems: FieldErrors = {};
  const attendeeKeys = new Set(parsed.attendees.map((attendee) => attendee.key));
  for (const [key, registrationId] of Object.entries(body.matches ?? {})) {
    if (!attendeeKeys.has(key)) (problems[`matches.${key}`] ??= []).push('is not a row of this report; take the row keys from the preview');
    const problem = registrationId === null ? undefined : registrationProblem(byRegistrationId.get(registrationId));
    if (problem) (problems[`matches.${key}`] ??= []).push(`${registrationId} ${problem}`);
  }
  (body.leaveUnchanged ?? []).forEach((registrationId, index) => {
    const problem = registrationProblem(byRegistrationId.get(registrationId));
    if (problem) (problems[`leaveUnchanged.${index}`] ??= []).push(problem);
  });
  if (Object.keys(problems).length > 0) {
    throw new ValidationError('Some corrections do not fit this report or this training. Preview the report again and correct the rows listed.', problems);
  }

  const roster = registrations
    .filter((registration) => registration.status === 'confirmed')
    .map(({ registrationId, fullName, email }) => ({ registrationId, fullName, email }));
  const proposal = proposeAttendance({
    session,
    completionThreshold: training.completionThreshold,
    roster,
    attendees: parsed.attendees,
    corrections: body.matches ?? {},
  });
  const collator = new Intl.Collator(training.language, { sensitivity: 'base' });
  proposal.marks.sort((a, b) => collator.compare(a.fullName, b.fullName) || a.email.localeCompare(b.email));

  const files = body.files.map((file) => ({ name: file.name, sha256: createHash('sha256').update(file.content).digest('hex') }));
  const current = new Map(existing.map((record) => [record.registrationId, record]));
  const keep = new Set(body.leaveUnchanged ?? []);
  const marks = proposal.marks.map((mark): TeamsImportMark => {
    const before = current.get(mark.registrationId);
    return {
      ...mark,
      ...(before ? { current: { status: before.status, ...(before.minutes !== undefined ? { minutes: before.minutes } : {}), source: before.source } } : {}),
      leftUnchanged: keep.has(mark.registrationId),
    };
  });

  const result: TeamsImportResult = {
    trainingId,
    sessionId,
    mode: body.mode,
    session: {
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      minutes: Math.floor(sessionDurationMs(session) / 60_000),
      thresholdMinutes: sessionThresholdMinutes(session, training.completionThreshold),
    },
    files,
    meetings: parsed.meetings.map((meeting) => ({
      file: meeting.file,
      fileName: body.files[meeting.file]!.name,
      ...(meeting.title ? { title: meeting.title } : {}),
      format: meeting.format,
      startsAt: new Date(meeting.start).toISOString(),
      endsAt: new Date(meeting.end).toISOString(),
    })),
    marks,
    unmatched: proposal.unmatched,
    ignored: proposal.ignored,
    notFound: proposal.notFound,
    unreadable: parsed.unreadable,
  };
  if (body.mode === 'preview') return result;

  const toWrite = marks.filter((mark) => !mark.leftUnchanged);
  const byId = new Map(toWrite.map((mark) => [mark.registrationId, mark]));
  const written = await saveMarks({
    principal,
    training,
    session,
    now,
    records: toWrite.map((mark) => (mark.status === 'present' ? { registrationId: mark.registrationId, status: 'present', minutes: mark.minutes } : { registrationId: mark.registrationId, status: 'absent' })),
    registrations,
    existing,
    originOf: (record) => {
      const mark = byId.get(record.registrationId)!;
      return {
        source: 'teams-report',
        importedFrom: { kind: 'teams-report', files, reportMinutes: mark.minutes, matchedBy: mark.matchedFrom.map((row) => row.by) },
      };
    },
  });
  return { ...result, applied: { written: written.written, unchanged: written.unchanged } };
}

// ---------------------------------------------------------------------------------------------
// Self check-in

export interface CheckInCodeResponse extends IssuedCode {
  trainingId: string;
  sessionId: string;
  /** What the QR code encodes: the web app's check-in page with the code filled in. */
  checkInUrl: string;
  qrSvg: string;
}

export async function issueCode(principal: Principal, trainingId: string, sessionId: string): Promise<CheckInCodeResponse> {
  const training = await loadTraining(trainingId);
  if (!canEdit(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer or an administrator can show its check-in code.');
  }
  const session = findSession(training, sessionId);
  const issued = issueCheckInCode(await checkInKey(), training, session, clock.now());
  const checkInUrl = publicUrl(`/check-in?code=${issued.code}`);
  // Level M (15 % recovery) survives a glare spot on a projector without shrinking the modules.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(checkInUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { trainingId, sessionId, ...issued, checkInUrl, qrSvg };
}

/**
 * The Secrets Manager client loads in the two routes that use the key, not in the other
 * attendance routes that share this module.
 */
async function checkInKey(): Promise<Uint8Array> {
  const { checkInKey: readKey } = await import('../secrets/check-in-key');
  return readKey();
}

export interface CheckInReceipt {
  trainingId: string;
  sessionId: string;
  registrationId: string;
  status: AttendanceStatus;
  recordedAt: string;
  /** True when this session already had a mark for you: a repeated check-in changes nothing. */
  alreadyRecorded: boolean;
}

/** A participant rarely has more than a handful of current registrations; the newest are looked at. */
const CHECK_IN_REGISTRATIONS = 100;

/**
 * Marks the caller present for the session whose code they typed or scanned. The code is looked
 * for among the sessions of the caller's own registrations (see domain/check-in), so a code of
 * any other session cannot check anyone in.
 */
export async function checkIn(principal: Principal, code: string): Promise<CheckInReceipt> {
  const now = clock.now();
  const email = principal.email.toLowerCase();
  const { items } = await listRegistrationsOfPerson(email, { limit: CHECK_IN_REGISTRATIONS });
  const active = items.filter((registration) => registration.status !== 'cancelled');
  const trainings = await findTrainingsByIds(active.map((registration) => registration.trainingId));
  const candidates = active.flatMap((registration) => {
    const training = trainings.get(registration.trainingId);
    return training ? [{ training, registration }] : [];
  });
  const match = resolveCheckIn(await checkInKey(), code, candidates, now);

  // The person index is eventually consistent; the registration itself has the last word.
  const registration = await findRegistration(match.training.id, email);
  if (registration?.status !== 'confirmed') {
    throw new ConflictError(
      'You are not a confirmed participant of this training (any more). Check "My trainings", or ask the trainer.',
      'not_registered',
    );
  }
  const recordedAt = now.toISOString();
  const record: AttendanceRecord = {
    trainingId: match.training.id,
    sessionId: match.session.id,
    registrationId: registration.registrationId,
    status: 'present',
    source: 'check-in',
    recordedAt,
    recordedBy: principal.sub,
    checkedInAt: recordedAt,
  };
  const outcome = await recordCheckIn(record);
  if ('trainingNotOpen' in outcome) {
    throw new ConflictError(
      'This training was closed (or cancelled) a moment ago, so check-in has ended. If you attended, ask the trainer.',
      'training_not_open',
    );
  }
  const kept = outcome.recorded ? record : outcome.existing;
  if (kept.status === 'absent') {
    throw new ConflictError(
      'Your trainer has already recorded you as absent from this session. If you are here, ask the trainer to correct it.',
      'marked_absent',
    );
  }
  return {
    trainingId: kept.trainingId,
    sessionId: kept.sessionId,
    registrationId: kept.registrationId,
    status: kept.status,
    recordedAt: kept.recordedAt,
    alreadyRecorded: !outcome.recorded,
  };
}

// ---------------------------------------------------------------------------------------------
// The report

export type SessionCell = AttendanceStatus | 'unmarked';

export interface AttendanceReportRow {
  registrationId: string;
  fullName: string;
  email: string;
  sessions: Record<string, SessionCell>;
  /** Minutes given with a mark (late arrival, partial attendance), by session. */
  minutes: Record<string, number>;
  attendedHours: number;
  feedbackSubmitted: boolean;
  completed: boolean;
}

export interface AttendanceReport {
  trainingId: string;
  title: Training['title'];
  language: Training['language'];
  sessions: { id: string; startsAt: string; endsAt: string; hours: number }[];
  plannedHours: number;
  completionThreshold: number;
  /** Hours a participant must attend: completionThreshold × all planned hours. */
  requiredHours: number;
  feedbackRequired: boolean;
  participants: AttendanceReportRow[];
}

const MS_PER_HOUR = 3_600_000;

/** Recorded on the registration by the feedback use case. */
type RegistrationWithFeedback = StoredRegistration & { feedbackSubmittedAt?: string };

/**
 * Every confirmed participant with their mark per session, attended hours and whether they have
 * completed by the rule (on the marks so far: until the last session it can still change).
 */
export async function attendanceReport(principal: Principal, trainingId: string): Promise<AttendanceReport> {
  const training = await loadTraining(trainingId);
  if (!canOversee(principal, training)) {
    throw new ForbiddenError(
      'Only the training\'s trainer, a coordinator of its region or an administrator can see its attendance.',
    );
  }
  const [registrations, records] = await Promise.all([listAllRegistrations(trainingId), listAttendanceOfTraining(trainingId)]);
  const marksByRegistration = new Map<string, AttendanceRecord[]>();
  for (const record of records) {
    const list = marksByRegistration.get(record.registrationId);
    if (list) list.push(record);
    else marksByRegistration.set(record.registrationId, [record]);
  }

  const collator = new Intl.Collator(training.language, { sensitivity: 'base' });
  const participants = (registrations as RegistrationWithFeedback[])
    .filter((registration) => registration.status === 'confirmed')
    .sort((a, b) => collator.compare(a.fullName, b.fullName) || a.email.localeCompare(b.email))
    .map((registration): AttendanceReportRow => {
      const marks = marksByRegistration.get(registration.registrationId) ?? [];
      const bySession = new Map(marks.map((mark) => [mark.sessionId, mark]));
      const feedbackSubmitted = Boolean(registration.feedbackSubmittedAt);
      const result = completion({ training, attendance: marks, feedbackSubmitted });
      const minutes: Record<string, number> = {};
      for (const mark of marks) if (mark.minutes !== undefined) minutes[mark.sessionId] = mark.minutes;
      return {
        registrationId: registration.registrationId,
        fullName: registration.fullName,
        email: registration.email,
        sessions: Object.fromEntries(training.sessions.map((session) => [session.id, bySession.get(session.id)?.status ?? 'unmarked'])),
        minutes,
        attendedHours: roundHours(result.attendedHours),
        feedbackSubmitted,
        completed: result.completed,
      };
    });

  const plannedHours = plannedMs(training.sessions) / MS_PER_HOUR;
  return {
    trainingId: training.id,
    title: training.title,
    language: training.language,
    sessions: training.sessions.map((session) => ({
      id: session.id,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      hours: roundHours(sessionDurationMs(session) / MS_PER_HOUR),
    })),
    plannedHours: roundHours(plannedHours),
    completionThreshold: training.completionThreshold,
    requiredHours: roundHours(plannedHours * training.completionThreshold),
    feedbackRequired: training.feedbackRequired,
    participants,
  };
}
