import * as z from './zod';
import { cursorSchema, idSchema, regionIdSchema } from './common';

const monthSchema = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM, e.g. 2026-03' }));

export const reportFormatSchema = z._default(z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }), 'json');

export const regionsReportQuery = z.object({ format: reportFormatSchema });

export const regionReportParams = z.strictObject({ region: regionIdSchema });

/** A report covers at most 24 months, so it reads at most 24 month items. */
export const MAX_REPORT_MONTHS = 24;

export const regionReportQuery = z
  .object({ from: z.optional(monthSchema), to: z.optional(monthSchema), format: reportFormatSchema })
  .check(
    z.refine((query) => !query.from || !query.to || query.from <= query.to, {
      error: 'must not be after to',
      path: ['from'],
    }),
  );

export const cascadeReportParams = z.strictObject({ trainingId: idSchema });

export const cascadeReportQuery = z.object({
  depth: z.optional(
    z.coerce.number({ error: 'must be a whole number' }).check(z.int({ error: 'must be a whole number' }), z.gte(0), z.lte(10)),
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 200),
  cursor: z.optional(cursorSchema),
  format: reportFormatSchema,
});

export const multipliersReportQuery = z.object({
  region: z.optional(regionIdSchema),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(cursorSchema),
  format: reportFormatSchema,
});

/** The coordinator's list of qualifications about to lapse looks at most a year ahead. */
export const expiringQualificationsQuery = z.object({
  region: z.optional(regionIdSchema),
  days: z._default(
    z.coerce
      .number({ error: 'must be a whole number of days' })
      .check(
        z.int({ error: 'must be a whole number of days' }),
        z.gte(1, { error: 'must be at least 1' }),
        z.lte(366, { error: 'must be at most 366' }),
      ),
    180,
  ),
  format: reportFormatSchema,
});
