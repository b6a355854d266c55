import * as z from '../schemas/zod';
import type { PublicTraining } from '../domain/training';
import type { Training } from '../schemas/training';
import { count, instant, language, localized, named, page, reply, replyAs, type RouteResponses } from './reply';

const session = z.object({
  id: z.string(),
  startsAt: instant,
  endsAt: instant,
  venue: z.optional(z.string()),
  onlineUrl: z.optional(z.string()),
});

const trainingFields = {
  id: z.string(),
  title: localized,
  description: z.optional(z.string()),
  topic: z.string(),
  legacyTopic: z.optional(z.string()),
  language,
  region: z.string(),
  level: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  hours: z.number(),
  ects: z.optional(z.number()),
  capacity: count,
  sessions: z.array(session),
  registrationClosesAt: z.optional(instant),
  completionThreshold: z.number(),
  feedbackRequired: z.boolean(),
  renewsLevel: z.optional(z.boolean()),
  status: z.enum(['draft', 'published', 'cancelled', 'closed']),
  createdAt: instant,
  updatedAt: instant,
  publishedAt: z.optional(instant),
  cancelledAt: z.optional(instant),
  cancellationReason: z.optional(z.string()),
  closedAt: z.optional(instant),
  issuanceQueuedAt: z.optional(instant),
  qualifyingCertificateId: z.optional(z.string()),
  qualifyingCertificateNumber: z.optional(z.string()),
  qualifyingCertificateIssuedAt: z.optional(instant),
  parentTrainingId: z.optional(z.string()),
  cascadeRootId: z.optional(z.string()),
};

/** A training as its trainer and staff see it: the trainer's contact included. */
export const trainingSchema = named('Training', z.object({
  ...trainingFields,
  trainer: z.object({ sub: z.string(), name: z.string(), email: z.string() }),
}));

/** A training as anyone sees it: the trainer by name only. */
export const publicTrainingSchema = named('PublicTraining', z.object({ ...trainingFields, trainer: z.object({ name: z.string() }) }));

const training = replyAs<Training>();

export const trainingsResponses = {
  createTraining: { success: { 201: training('The draft, with the ids the server gave it and its sessions.', trainingSchema) }, errors: [409] },
  listTrainings: {
    success: { 200: replyAs<{ items: PublicTraining[]; nextCursor?: string }>()('A page of published trainings, soonest first.', page(publicTrainingSchema)) },
    errors: [],
  },
  // A public route carries no identity, so its trainer's view of a draft is not this one.
  getTraining: { success: { 200: replyAs<PublicTraining>()('The training (published, closed or cancelled).', publicTrainingSchema) }, errors: [404] },
  updateTraining: { success: { 200: training('The training after the change.', trainingSchema) }, errors: [404, 409] },
  publishTraining: { success: { 200: training('The published training.', trainingSchema) }, errors: [404, 409] },
  cancelTraining: { success: { 200: training('The cancelled training.', trainingSchema) }, errors: [404, 409] },
  closeTraining: { success: { 200: training('The closed training: attendance is final, certificates are being issued.', trainingSchema) }, errors: [404, 409] },
  designateNationalTrainer: {
    success: { 200: reply('The person may now publish national (level-0) trainings.', z.object({ email: z.string(), nationalTrainer: z.literal(true) })) },
    errors: [],
  },
  undesignateNationalTrainer: { success: { 204: { description: 'No longer a national trainer.' } }, errors: [] },
} satisfies Record<string, RouteResponses>;
