import * as z from 'zod';
import type { Language } from '../config/regions';
import { languageSchema } from './common';

/**
 * A person's name as they write it. NFC so that a Kazakh letter typed as a base letter plus a
 * combining mark compares equal to the precomposed one; runs of whitespace (including a newline
 * pasted from a spreadsheet cell) collapse to one space because the name goes into email
 * headers, calendar entries and certificates.
 */
export const fullNameSchema = z
  .string({ error: 'must be text' })
  .trim()
  // abort: one clear message per name; "must contain a letter" on an empty one would be noise.
  .min(1, { error: 'must not be empty', abort: true })
  .max(200, { error: 'must be at most 200 characters', abort: true })
  .overwrite((name) => name.normalize('NFC').replace(/\s+/g, ' '))
  .refine((name) => /\p{L}/u.test(name), { error: 'must contain a letter' });

export const schoolSchema = z
  .string({ error: 'must be text' })
  .trim()
  .max(300, { error: 'must be at most 300 characters' })
  .overwrite((school) => school.normalize('NFC').replace(/\s+/g, ' '));

/** Lower-cased so that one person is one registration however they capitalise their address. */
export const emailSchema = z
  .string({ error: 'must be an email address' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address, e.g. name@school.kz' }).max(254, { error: 'must be at most 254 characters' }));

export const registerBodySchema = z.strictObject(
  {
    fullName: fullNameSchema,
    school: schoolSchema.optional(),
    preferredLanguage: languageSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown field(s) ${issue.keys.join(', ')}; send only fullName, school and preferredLanguage`
        : undefined,
  },
);
export type RegisterBody = z.infer<typeof registerBodySchema>;

/** One participant row of a coordinator's CSV import, after the spreadsheet's cells are read. */
export const importRowSchema = z.strictObject({
  email: emailSchema,
  fullName: fullNameSchema,
  school: schoolSchema.optional(),
  preferredLanguage: languageSchema.optional(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

export const registrationStatuses = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

export const registrationSources = ['self', 'import'] as const;
export type RegistrationSource = (typeof registrationSources)[number];

/** A registration as the API returns it and the domain reasons about it. */
export interface Registration {
  registrationId: string;
  trainingId: string;
  /** Absent for people a coordinator imported before they had an account; email is the identity. */
  userSub?: string;
  email: string;
  fullName: string;
  school?: string;
  preferredLanguage: Language;
  status: RegistrationStatus;
  /** 1-based place in the queue; present only while waitlisted. */
  waitlistPosition?: number;
  registeredAt: string;
  /** Set when a seat was granted, directly or by promotion from the waitlist. */
  confirmedAt?: string;
  cancelledAt?: string;
  source: RegistrationSource;
}
