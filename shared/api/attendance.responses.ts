import * as z from '../schemas/zod';
import type { AttendanceReport, AttendanceWriteResult, CheckInCodeResponse, CheckInReceipt, TeamsImportResult } from '../usecases/attendance';
import { count, instant, language, localized, named, replyAs, type RouteResponses } from './reply';

const markStatus = z.enum(['present', 'absent', 'late']);
const attendee = {
  key: z.string(),
  name: z.string(),
  email: z.optional(z.string()),
  role: z.enum(['organizer', 'presenter', 'attendee']),
  file: count,
  line: count,
  minutes: z.number(),
};

const teamsImport = named('TeamsImport', z.object({
  trainingId: z.string(),
  sessionId: z.string(),
  mode: z.enum(['preview', 'apply']),
  session: z.object({ startsAt: instant, endsAt: instant, minutes: z.number(), thresholdMinutes: z.number() }),
  files: z.array(z.object({ name: z.string(), sha256: z.string() })),
  meetings: z.array(
    z.object({ file: count, fileName: z.string(), title: z.optional(z.string()), format: z.enum(['sections', 'events']), startsAt: instant, endsAt: instant }),
  ),
  marks: z.array(
    z.object({
      registrationId: z.string(),
      fullName: z.string(),
      email: z.string(),
      status: z.enum(['present', 'absent']),
      minutes: z.number(),
      matchedFrom: z.array(z.object({ ...attendee, by: z.enum(['email', 'upn', 'name', 'name-partial', 'manual']) })),
      current: z.optional(z.object({ status: markStatus, minutes: z.optional(z.number()), source: z.enum(['trainer', 'check-in', 'teams-report']) })),
      leftUnchanged: z.boolean(),
    }),
  ),
  unmatched: z.array(z.object({ ...attendee, reason: z.enum(['no_match', 'ambiguous']), candidates: z.optional(z.array(z.string())) })),
  ignored: z.array(z.object({ ...attendee, reason: z.enum(['organizer', 'presenter', 'excluded']) })),
  notFound: z.array(z.string()),
  unreadable: z.array(
    z.object({
      file: count,
      fileName: z.string(),
      line: count,
      reason: z.enum(['unknown_time', 'missing_time', 'leave_before_join', 'no_name', 'unknown_action', 'left_without_join']),
      value: z.optional(z.string()),
      problem: z.string(),
    }),
  ),
  applied: z.optional(z.object({ written: count, unchanged: count })),
}));

const report = named('AttendanceReport', z.object({
  trainingId: z.string(),
  title: localized,
  language,
  sessions: z.array(z.object({ id: z.string(), startsAt: instant, endsAt: instant, hours: z.number() })),
  plannedHours: z.number(),
  completionThreshold: z.number(),
  requiredHours: z.number(),
  feedbackRequired: z.boolean(),
  participants: z.array(
    z.object({
      registrationId: z.string(),
      fullName: z.string(),
      email: z.string(),
      sessions: z.record(z.string(), z.enum(['present', 'absent', 'late', 'unmarked'])),
      minutes: z.record(z.string(), z.number()),
      attendedHours: z.number(),
      feedbackSubmitted: z.boolean(),
      completed: z.boolean(),
    }),
  ),
}));

export const attendanceResponses = {
  recordAttendance: {
    success: {
      200: replyAs<AttendanceWriteResult>()(
        'How many marks were written and how many were already so.',
        z.object({ trainingId: z.string(), sessionId: z.string(), written: count, unchanged: count }),
      ),
    },
    errors: [404, 409],
  },
  importTeamsReport: { success: { 200: replyAs<TeamsImportResult>()('The proposed marks (preview) or what was written (apply).', teamsImport) }, errors: [404, 409] },
  issueCheckInCode: {
    success: {
      200: replyAs<CheckInCodeResponse>()(
        'The code to show now, its QR and when it rotates.',
        z.object({
          trainingId: z.string(),
          sessionId: z.string(),
          code: z.string(),
          rotatesAt: instant,
          expiresAt: instant,
          checkInOpensAt: instant,
          checkInClosesAt: instant,
          checkInUrl: z.string(),
          qrSvg: z.string(),
        }),
      ),
    },
    errors: [404, 409],
  },
  checkIn: {
    success: {
      200: replyAs<CheckInReceipt>()(
        'The mark recorded (or already recorded) for this session.',
        z.object({ trainingId: z.string(), sessionId: z.string(), registrationId: z.string(), status: markStatus, recordedAt: instant, alreadyRecorded: z.boolean() }),
      ),
    },
    errors: [404, 409, 429],
  },
  attendanceReport: {
    success: { 200: replyAs<AttendanceReport>()('The attendance grid (JSON), or the same as a spreadsheet (format=csv|xlsx).', report, ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']) },
    errors: [404],
  },
} satisfies Record<string, RouteResponses>;
