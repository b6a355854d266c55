import * as z from '../schemas/zod';
import type { Page } from '../store/paging';
import type { ImportResult, RegistrationReceipt, RosterEntry } from '../usecases/registrations';
import { count, instant, language, named, page, reply, replyAs, type RouteResponses } from './reply';

export const rosterEntrySchema = named('RosterEntry', z.object({
  registrationId: z.string(),
  trainingId: z.string(),
  userSub: z.optional(z.string()),
  email: z.string(),
  fullName: z.string(),
  school: z.optional(z.string()),
  preferredLanguage: language,
  status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
  waitlistPosition: z.optional(z.number()),
  registeredAt: instant,
  confirmedAt: z.optional(instant),
  cancelledAt: z.optional(instant),
  source: z.enum(['self', 'import']),
}));

const importResult = z.object({
  row: z.number(),
  status: z.enum(['confirmed', 'waitlisted', 'error']),
  registrationId: z.optional(z.string()),
  waitlistPosition: z.optional(z.number()),
  error: z.optional(z.string()),
});

export const registrationsResponses = {
  register: {
    success: {
      201: replyAs<RegistrationReceipt>()(
        'A seat, or a place on the waitlist.',
        z.object({ registrationId: z.string(), status: z.enum(['confirmed', 'waitlisted']), waitlistPosition: z.optional(z.number()) }),
      ),
    },
    errors: [404, 409],
  },
  withdrawRegistration: {
    success: { 200: reply('The registration is cancelled; a waitlisted person may get the seat.', z.object({ registrationId: z.string(), status: z.literal('cancelled') })) },
    errors: [404, 409],
  },
  roster: { success: { 200: replyAs<Page<RosterEntry>>()('A page of the roster.', page(rosterEntrySchema)) }, errors: [404] },
  importRegistrations: {
    success: {
      200: replyAs<{ results: ImportResult[]; summary: Record<ImportResult['status'], number> }>()(
        'One result per row of the file.',
        z.object({ results: z.array(importResult), summary: z.object({ confirmed: count, waitlisted: count, error: count }) }),
      ),
    },
    errors: [404, 409],
  },
} satisfies Record<string, RouteResponses>;
