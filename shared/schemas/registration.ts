import * as z from './zod';
import type { Language } from '../locale/language';
import { languageSchema, onlyFields } from './common';

/**
 * A person's name as they write it. NFC so that a Kazakh letter typed as a base letter plus a
 * combining mark compares equal to the precomposed one; runs of whitespace (including a newline
 * pasted from a spreadsheet cell) collapse to one space because the name goes into email
 * headers, calendar entries and certificates.
 */
export const fullNameSchema = z.string({ error: 'must be text' }).check(
  z.trim(),
  // abort: one clear message per name; "must contain a letter" on an empty one would be noise.
  z.minLength(1, { error: 'must not be empty', abort: true }),
  z.maxLength(200, { error: 'must be at most 200 characters', abort: true }),
  z.overwrite((name) => name.normalize('NFC').replace(/\s+/g, ' ')),
  z.refine((name) => /\p{L}/u.test(name), { error: 'must contain a letter' }),
);

export const schoolSchema = z
  .string({ error: 'must be text' })
  .check(
    z.trim(),
    z.maxLength(300, { error: 'must be at most 300 characters' }),
    z.overwrite((school) => school.normalize('NFC').replace(/\s+/g, ' ')),
  );

/** Lower-cased so that one person is one registration however they capitalise their address. */
export const emailSchema = z.pipe(
  z.string({ error: 'must be an email address' }).check(z.trim(), z.toLowerCase()),
  z.email({ error: 'must be an email address, e.g. name@school.kz' }).check(z.maxLength(254, { error: 'must be at most 254 characters' })),
);

export const registerBodySchema = z.strictObject(
  {
    fullName: fullNameSchema,
    school: z.optional(schoolSchema),
    preferredLanguage: z.optional(languageSchema),
  },
  { error: onlyFields('only fullName, school and preferredLanguage') },
);
export type RegisterBody = z.infer<typeof registerBodySchema>;

/** One participant row of a coordinator's CSV import, after the spreadsheet's cells are read. */
export const importRowSchema = z.strictObject({
  email: emailSchema,
  fullName: fullNameSchema,
  school: z.optional(schoolSchema),
  preferredLanguage: z.optional(languageSchema),
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
