import * as z from './zod';
import { cursorSchema, idSchema, instantSchema, languageSchema, regionIdSchema } from './common';
import { topicIdSchema } from './topics';

const titleText = z
  .string()
  .check(z.trim(), z.minLength(1, { error: 'must not be empty' }), z.maxLength(300, { error: 'must be at most 300 characters' }));

export const localizedTitleSchema = z
  .strictObject({ kk: z.optional(titleText), ru: z.optional(titleText), en: z.optional(titleText) })
  .check(
    z.refine((title) => Boolean(title.kk ?? title.ru ?? title.en), {
      error: 'needs at least one of kk, ru or en',
    }),
  );

export const sessionInputSchema = z.strictObject({
  /** Given when editing, to keep a session's identity (attendance refers to it). */
  id: z.optional(idSchema),
  startsAt: instantSchema,
  endsAt: instantSchema,
  venue: z.optional(z.string().check(z.trim(), z.maxLength(300))),
  // https only: a meeting link opened from an email or a calendar must not travel in clear text.
  onlineUrl: z.optional(
    z
      .url({ protocol: /^https$/, error: 'must be an https:// link, such as the Teams meeting link (copy it from the meeting invitation)' })
      .check(z.maxLength(1000, { error: 'must be at most 1000 characters' })),
  ),
});

const booleanField = () => z.boolean({ error: 'must be true or false' });

const trainingFields = {
  title: localizedTitleSchema,
  description: z.optional(z.string().check(z.trim(), z.maxLength(5000, { error: 'must be at most 5000 characters' }))),
  /** An id of the topic vocabulary (GET /api/topics), checked against it by the use case. */
  topic: topicIdSchema,
  language: languageSchema,
  region: regionIdSchema,
  level: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' }),
  hours: z.number({ error: 'must be a number of hours' }).check(z.positive({ error: 'must be more than 0' }), z.lte(2000)),
  ects: z.optional(z.number({ error: 'must be a number' }).check(z.gte(0), z.lte(60))),
  capacity: z
    .number({ error: 'must be a whole number' })
    .check(
      z.int({ error: 'must be a whole number' }),
      z.gte(1, { error: 'must be at least 1' }),
      z.lte(10_000, { error: 'must be at most 10,000' }),
    ),
  sessions: z
    .array(sessionInputSchema, { error: 'must be a list of sessions' })
    .check(z.minLength(1, { error: 'needs at least one session' }), z.maxLength(200, { error: 'must have at most 200 sessions' })),
  registrationClosesAt: z.optional(instantSchema),
  completionThreshold: z.number().check(z.gte(0, { error: 'must be between 0 and 1' }), z.lte(1, { error: 'must be between 0 and 1' })),
  feedbackRequired: booleanField(),
  /** A refresher: its certificates renew the level (they qualify like the original). */
  renewsLevel: z.optional(booleanField()),
};

export const createTrainingSchema = z.strictObject({
  ...trainingFields,
  completionThreshold: z._default(trainingFields.completionThreshold, 0.8),
  feedbackRequired: z._default(trainingFields.feedbackRequired, true),
});
export type CreateTrainingInput = z.infer<typeof createTrainingSchema>;

/** Any subset of the fields; `null` clears an optional one. */
export const updateTrainingSchema = z
  .partial(
    z.strictObject({
      title: trainingFields.title,
      description: z.nullable(trainingFields.description),
      topic: trainingFields.topic,
      language: trainingFields.language,
      region: trainingFields.region,
      level: trainingFields.level,
      hours: trainingFields.hours,
      ects: z.nullable(trainingFields.ects),
      capacity: trainingFields.capacity,
      sessions: trainingFields.sessions,
      registrationClosesAt: z.nullable(trainingFields.registrationClosesAt),
      completionThreshold: trainingFields.completionThreshold,
      feedbackRequired: trainingFields.feedbackRequired,
      renewsLevel: booleanField(),
    }),
  )
  .check(z.refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' }));
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

export const listTrainingsQuery = z
  .object({
    region: z.optional(regionIdSchema),
    language: z.optional(languageSchema),
    from: z.optional(instantSchema),
    to: z.optional(instantSchema),
    /** Closed trainings stay findable for the reports (a cascade's root is closed once it has run). */
    status: z._default(z.enum(['published', 'closed'], { error: 'must be published or closed' }), 'published'),
    level: z.optional(
      z.coerce
        .number({ error: 'must be 0, 1 or 2' })
        .check(z.int({ error: 'must be 0, 1 or 2' }), z.gte(0, { error: 'must be 0, 1 or 2' }), z.lte(2, { error: 'must be 0, 1 or 2' })),
    ),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
    cursor: z.optional(cursorSchema),
  })
  .check(
    z.refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
      error: 'must not be after to; swap the two dates',
      path: ['from'],
    }),
  );
export type ListTrainingsQuery = z.infer<typeof listTrainingsQuery>;

export const cancelTrainingSchema = z.strictObject({
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
});
