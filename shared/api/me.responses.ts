import * as z from '../schemas/zod';
import type { Page } from '../store/paging';
import type { Training } from '../schemas/training';
import type { MyCertificate } from '../usecases/certificates';
import { instant, named, page, replyAs, type RouteResponses } from './reply';
import { myCertificateSchema } from './certificates.responses';
import { publicTrainingSchema, trainingSchema } from './trainings.responses';

export const myRegistrationSchema = named('MyRegistration', z.object({
  registrationId: z.string(),
  trainingId: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
  waitlistPosition: z.optional(z.number()),
  registeredAt: instant,
  /** The training comes with the registration, so "My trainings" is one request (a draft's is left out). */
  training: z.optional(publicTrainingSchema),
}));

export const meResponses = {
  myTrainings: { success: { 200: replyAs<Page<Training>>()('The trainings I run, drafts included.', page(trainingSchema)) }, errors: [] },
  myRegistrations: { success: { 200: replyAs<Page<z.infer<typeof myRegistrationSchema>>>()('My registrations.', page(myRegistrationSchema)) }, errors: [] },
  myCertificates: { success: { 200: replyAs<Page<MyCertificate>>()('My certificates.', page(myCertificateSchema)) }, errors: [] },
} satisfies Record<string, RouteResponses>;
