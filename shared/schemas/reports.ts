import * as z from 'zod';
import { cursorSchema, idSchema, regionIdSchema } from './common';

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month as YYYY-MM, e.g. 2026-03' });

export const reportFormatSchema = z.enum(['json', 'csv', 'xlsx'], { error: 'must be json, csv or xlsx' }).default('json');

export const regionsReportQuery = z.object({ format: reportFormatSchema });

export const regionReportParams = z.strictObject({ region: regionIdSchema });

/** A report covers at most 24 months, so it reads at most 24 month items. */
export const MAX_REPORT_MONTHS = 24;

export const regionReportQuery = z
  .object({ from: monthSchema.optional(), to: monthSchema.optional(), format: reportFormatSchema })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    error: 'must not be after to',
    path: ['from'],
  });

export const cascadeReportParams = z.strictObject({ trainingId: idSchema });

export const cascadeReportQuery = z.object({
  depth: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0).max(10).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: cursorSchema.optional(),
  format: reportFormatSchema,
});

export const multipliersReportQuery = z.object({
  region: regionIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorSchema.optional(),
  format: reportFormatSchema,
});

/** The coordinator's list of qualifications about to lapse looks at most a year ahead. */
export const expiringQualificationsQuery = z.object({
  region: regionIdSchema.optional(),
  days: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: 'must be at least 1' })
    .max(366, { error: 'must be at most 366' })
    .default(180),
  format: reportFormatSchema,
});
