import { z } from 'zod';
import { cursorSchema, idSchema, instantSchema, languageSchema, regionIdSchema } from './common';
import { topicIdSchema } from './topics';

const titleText = z.string().trim().min(1, { error: 'must not be empty' }).max(300, { error: 'must be at most 300 characters' });

export const localizedTitleSchema = z
  .strictObject({ kk: titleText.optional(), ru: titleText.optional(), en: titleText.optional() })
  .refine((title) => Boolean(title.kk ?? title.ru ?? title.en), {
    error: 'needs at least one of kk, ru or en',
  });

export const sessionInputSchema = z.strictObject({
  /** Given when editing, to keep a session's identity (attendance refers to it). */
  id: idSchema.optional(),
  startsAt: instantSchema,
  endsAt: instantSchema,
  venue: z.string().trim().max(300).optional(),
  // https only: a meeting link opened from an email or a calendar must not travel in clear text.
  onlineUrl: z
    .url({ protocol: /^https$/, error: 'must be an https:// link, such as the Teams meeting link (copy it from the meeting invitation)' })
    .max(1000, { error: 'must be at most 1000 characters' })
    .optional(),
});

const trainingFields = {
  title: localizedTitleSchema,
  description: z.string().trim().max(5000, { error: 'must be at most 5000 characters' }).optional(),
  /** An id of the topic vocabulary (GET /api/topics), checked against it by the use case. */
  topic: topicIdSchema,
  language: languageSchema,
  region: regionIdSchema,
  level: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' }),
  hours: z.number({ error: 'must be a number of hours' }).positive({ error: 'must be more than 0' }).max(2000),
  ects: z.number({ error: 'must be a number' }).min(0).max(60).optional(),
  capacity: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(10_000, { error: 'must be at most 10,000' }),
  sessions: z
    .array(sessionInputSchema, { error: 'must be a list of sessions' })
    .min(1, { error: 'needs at least one session' })
    .max(200, { error: 'must have at most 200 sessions' }),
  registrationClosesAt: instantSchema.optional(),
  completionThreshold: z.number().min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' }),
  feedbackRequired: z.boolean({ error: 'must be true or false' }),
  /** A refresher: its certificates renew the level (they qualify like the original). */
  renewsLevel: z.boolean({ error: 'must be true or false' }).optional(),
};

export const createTrainingSchema = z.strictObject({
  ...trainingFields,
  completionThreshold: trainingFields.completionThreshold.default(0.8),
  feedbackRequired: trainingFields.feedbackRequired.default(true),
});
export type CreateTrainingInput = z.infer<typeof createTrainingSchema>;

/** Any subset of the fields; `null` clears an optional one. */
export const updateTrainingSchema = z
  .strictObject({
    title: trainingFields.title,
    description: trainingFields.description.nullable(),
    topic: trainingFields.topic,
    language: trainingFields.language,
    region: trainingFields.region,
    level: trainingFields.level,
    hours: trainingFields.hours,
    ects: trainingFields.ects.nullable(),
    capacity: trainingFields.capacity,
    sessions: trainingFields.sessions,
    registrationClosesAt: trainingFields.registrationClosesAt.nullable(),
    completionThreshold: trainingFields.completionThreshold,
    feedbackRequired: trainingFields.feedbackRequired,
    renewsLevel: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });
export type UpdateTrainingInput = z.infer<typeof updateTrainingSchema>;

export const trainingStatuses = ['draft', 'published', 'cancelled', 'closed'] as const;
export type TrainingStatus = (typeof trainingStatuses)[number];

export interface TrainingSession {
  id: string;
  startsAt: string;
  endsAt: string;
  venue?: string;
  onlineUrl?: string;
}

/** A training as the API returns it and the domain reasons about it. */
export interface Training {
  id: string;
  title: { kk?: string; ru?: string; en?: string };
  description?: string;
  /** A topic id (GET /api/topics); trainings stored before the vocabulary held free text (scripts/migrate-topics). */
  topic: string;
  /** The free text a migrated training had as its topic, kept for an admin to review. */
  legacyTopic?: string;
  language: 'kk' | 'ru' | 'en';
  region: string;
  level: 0 | 1 | 2;
  hours: number;
  ects?: number;
  capacity: number;
  sessions: TrainingSession[];
  registrationClosesAt?: string;
  completionThreshold: number;
  feedbackRequired: boolean;
  /** A refresher of its level: each certificate records the holder's earlier one it renews. */
  renewsLevel?: boolean;
  status: TrainingStatus;
  trainer: { sub: string; name: string; email: string };
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
  /** When the trainer closed the training: attendance is final and certificates are issued. */
  closedAt?: string;
  /** Set once every confirmed participant's issuance work item is written (see usecases/close). */
  issuanceQueuedAt?: string;
  /** Level ≥ 1, set at publish: the trainer's certificate that allowed it (domain/cascade). */
  qualifyingCertificateId?: string;
  qualifyingCertificateNumber?: string;
  qualifyingCertificateIssuedAt?: string;
  /** The training that issued the qualifying certificate: this training's parent in the cascade. */
  parentTrainingId?: string;
  /** The national (level-0) training at the root of this training's cascade; its own id at level 0. */
  cascadeRootId?: string;
}

export const trainingIdParams = z.strictObject({ id: idSchema });

export const listTrainingsQuery = z
  .object({
    region: regionIdSchema.optional(),
    language: languageSchema.optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    /** Closed trainings stay findable for the reports (a cascade's root is closed once it has run). */
    status: z.enum(['published', 'closed'], { error: 'must be published or closed' }).default('published'),
    level: z.coerce.number({ error: 'must be 0, 1 or 2' }).int({ error: 'must be 0, 1 or 2' }).min(0, { error: 'must be 0, 1 or 2' }).max(2, { error: 'must be 0, 1 or 2' }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorSchema.optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    error: 'must not be after to; swap the two dates',
    path: ['from'],
  });
export type ListTrainingsQuery = z.infer<typeof listTrainingsQuery>;

export const cancelTrainingSchema = z.strictObject({
  reason: z.string().trim().min(1).max(1000).optional(),
});
