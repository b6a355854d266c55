import * as z from './zod';
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode } from '../domain/check-in-code';
import { idSchema, languageSchema, onlyFields } from './common';

export const attendanceStatuses = ['present', 'absent', 'late'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

/** Who wrote a mark: the trainer's sheet (PUT) or the participant's own check-in. */
export const attendanceSources = ['trainer', 'check-in', 'teams-report'] as const;
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
  /**
   * A mark applied from a Teams attendance report (source `teams-report`): which files (their
   * names and SHA-256), the minutes the report gave and how the rows were matched. When and by
   * whom are recordedAt and recordedBy.
   */
  importedFrom?: TeamsImportProvenance;
}

export interface TeamsImportProvenance {
  kind: 'teams-report';
  files: { name: string; sha256: string }[];
  reportMinutes: number;
  matchedBy: string[];
}

export const sessionParams = z.strictObject({ id: idSchema, sessionId: idSchema });

const attendanceMarkSchema = z
  .strictObject({
    registrationId: idSchema,
    status: z.enum(attendanceStatuses, { error: 'must be present, absent or late' }),
    minutes: z.optional(
      z
        .number({ error: 'must be a whole number of minutes' })
        .check(
          z.int({ error: 'must be a whole number of minutes' }),
          z.gte(0, { error: 'must not be negative' }),
          z.lte(24 * 60, { error: 'must be at most 1440 (a session lasts at most 24 hours)' }),
        ),
    ),
  })
  .check(
    z.superRefine((mark, context) => {
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
    }),
  );

export const putAttendanceBodySchema = z
  .strictObject(
    {
      records: z
        .array(attendanceMarkSchema, { error: 'must be a list of {registrationId, status, minutes?}' })
        .check(z.minLength(1, { error: 'needs at least one record' }), z.maxLength(10_000, { error: 'must have at most 10,000 records' })),
    },
    { error: onlyFields('only records') },
  )
  .check(
    z.superRefine((body, context) => {
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
    }),
  );
export type PutAttendanceBody = z.infer<typeof putAttendanceBodySchema>;
export type AttendanceMarkInput = PutAttendanceBody['records'][number];

const codeText = `${CODE_LENGTH} characters from ${CODE_ALPHABET}`;

export const checkInBodySchema = z.strictObject(
  {
    code: z
      .pipe(
        z.string({ error: 'must be the check-in code shown by the trainer' }).check(z.maxLength(64, { error: `must be the ${codeText}` })),
        z.transform(normalizeCode),
      )
      .check(
        z.refine((code) => code.length === CODE_LENGTH && [...code].every((char) => CODE_ALPHABET.includes(char)), {
          error: `must be the ${codeText} shown on the trainer's screen (codes never contain 0, O, 1 or I)`,
        }),
      ),
  },
  { error: onlyFields('only code') },
);
export type CheckInBody = z.infer<typeof checkInBodySchema>;

export const attendanceReportQuery = z.object({
  format: z._default(z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }), 'json'),
  /** Language of the file's headings; the training's language by default. */
  lang: z.optional(languageSchema),
});
export type AttendanceReportQuery = z.infer<typeof attendanceReportQuery>;

// ---------------------------------------------------------------------------------------------
// Teams attendance report import

/** Ten files cover a meeting restarted many times; a 5 MB body (the route's limit) bounds the rest. */
const MAX_REPORT_FILES = 10;

const base64Content = z.pipe(
  z
    .pipe(
      z
        .string({ error: 'must be the file\'s bytes in base64' })
        .check(z.minLength(1, { error: 'the file is empty; download the attendance report from Teams again' })),
      // A data URL (what a browser's FileReader gives) is accepted as well: only its payload counts.
      z.transform((value: string) => value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '')),
    )
    .check(
      z.refine((value) => /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0, {
        error: 'must be base64 (the file\'s bytes as they are, encoded); send the file as downloaded',
      }),
    ),
  z.transform((value: string) => new Uint8Array(Buffer.from(value, 'base64'))),
);

const reportFileSchema = z.strictObject({
  name: z
    .string({ error: 'must be the file name' })
    .check(z.trim(), z.minLength(1, { error: 'must not be empty' }), z.maxLength(255, { error: 'must be at most 255 characters' })),
  content: base64Content,
});

export const teamsReportBodySchema = z.strictObject(
  {
    files: z
      .array(reportFileSchema, { error: 'must be a list of {name, content} (the attendance report files)' })
      .check(
        z.minLength(1, { error: 'needs the attendance report file' }),
        z.maxLength(MAX_REPORT_FILES, { error: `must have at most ${MAX_REPORT_FILES} files (one per restart of the meeting)` }),
      ),
    /** `preview` changes nothing; `apply` writes the attendance it shows. */
    mode: z._default(z.enum(['preview', 'apply'], { error: 'must be preview or apply' }), 'preview'),
    /** Corrections, by the preview's row key: the participant this row is, or null to count it for nobody. */
    matches: z.optional(
      z.record(z.string().check(z.minLength(1), z.maxLength(600)), z.nullable(idSchema), {
        error: 'must map row keys from the preview to a registrationId or null',
      }),
    ),
    /** Participants whose current mark the import must not change (e.g. they were in the room). */
    leaveUnchanged: z.optional(z.array(idSchema, { error: 'must be a list of registrationIds' }).check(z.maxLength(10_000))),
  },
  { error: onlyFields('files, mode, matches and leaveUnchanged only') },
);
export type TeamsReportBody = z.infer<typeof teamsReportBodySchema>;
