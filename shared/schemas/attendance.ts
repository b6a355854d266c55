import { z } from 'zod';
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode } from '../domain/check-in';
import { idSchema, languageSchema } from './common';

export const attendanceStatuses = ['present', 'absent', 'late'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** Who wrote a mark: the trainer's sheet (PUT) or the participant's own check-in. */
export const attendanceSources = ['trainer', 'check-in'] as const;
export type AttendanceSource = (typeof attendanceSources)[number];

/** One participant's mark for one session, as stored and as the domain reasons about it. */
export interface AttendanceRecord {
  trainingId: string;
  sessionId: string;
  registrationId: string;
  status: AttendanceStatus;
  /** Minutes actually attended (late arrival, early leave); without it the whole session counts. */
  minutes?: number;
  source: AttendanceSource;
  recordedAt: string;
  /** The account (sub) that wrote the mark: the trainer, or the participant checking in. */
  recordedBy: string;
  /** When the participant checked in themselves; kept when a trainer later overrides the mark. */
  checkedInAt?: string;
}

export const sessionParams = z.strictObject({ id: idSchema, sessionId: idSchema });

const attendanceMarkSchema = z
  .strictObject({
    registrationId: idSchema,
    status: z.enum(attendanceStatuses, { error: 'must be present, absent or late' }),
    minutes: z
      .number({ error: 'must be a whole number of minutes' })
      .int({ error: 'must be a whole number of minutes' })
      .min(0, { error: 'must not be negative' })
      .max(24 * 60, { error: 'must be at most 1440 (a session lasts at most 24 hours)' })
      .optional(),
  })
  .superRefine((mark, context) => {
    // Completion is decided on these numbers, so a mark must say exactly what it means.
    if (mark.status === 'late' && mark.minutes === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['minutes'],
        message: 'is required when status is late: give the minutes the participant attended',
      });
    }
    if (mark.status === 'absent' && mark.minutes !== undefined && mark.minutes > 0) {
      context.addIssue({
        code: 'custom',
        path: ['minutes'],
        message: 'must be 0 or left out when status is absent; use late or present with minutes for a partial attendance',
      });
    }
  });

export const putAttendanceBodySchema = z
  .strictObject(
    {
      records: z
        .array(attendanceMarkSchema, { error: 'must be a list of {registrationId, status, minutes?}' })
        .min(1, { error: 'needs at least one record' })
        .max(10_000, { error: 'must have at most 10,000 records' }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')}; send only records` : undefined,
    },
  )
  .superRefine((body, context) => {
    const seen = new Map<string, number>();
    body.records.forEach((record, index) => {
      const first = seen.get(record.registrationId);
      if (first === undefined) seen.set(record.registrationId, index);
      else {
        context.addIssue({
          code: 'custom',
          path: ['records', index, 'registrationId'],
          message: `appears twice (also in record ${first}); send one record per participant`,
        });
      }
    });
  });
export type PutAttendanceBody = z.infer<typeof putAttendanceBodySchema>;
export type AttendanceMarkInput = PutAttendanceBody['records'][number];

const codeText = `${CODE_LENGTH} characters from ${CODE_ALPHABET}`;

export const checkInBodySchema = z.strictObject(
  {
    code: z
      .string({ error: 'must be the check-in code shown by the trainer' })
      .max(64, { error: `must be the ${codeText}` })
      .transform(normalizeCode)
      .refine((code) => code.length === CODE_LENGTH && [...code].every((char) => CODE_ALPHABET.includes(char)), {
        error: `must be the ${codeText} shown on the trainer's screen (codes never contain 0, O, 1 or I)`,
      }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')}; send only code` : undefined,
  },
);
export type CheckInBody = z.infer<typeof checkInBodySchema>;

export const attendanceReportQuery = z.object({
  format: z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }).default('json'),
  /** Language of the file's headings; the training's language by default. */
  lang: languageSchema.optional(),
});
export type AttendanceReportQuery = z.infer<typeof attendanceReportQuery>;
