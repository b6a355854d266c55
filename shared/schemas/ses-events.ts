import * as z from './zod';

/**
 * The part of an SES event-publishing record (EventBridge `detail`) the platform reads. Unknown
 * fields pass through untouched; recipients' addresses are in there and are never logged.
 */
const timestamped = z.looseObject({ timestamp: z.string() });

export const sesEventDetailSchema = z.looseObject({
  eventType: z.string(),
  mail: z.looseObject({
    messageId: z.string(),
    timestamp: z.string(),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
  delivery: z.optional(timestamped),
  bounce: z.optional(timestamped),
  complaint: z.optional(timestamped),
});
export type SesEventDetail = z.infer<typeof sesEventDetailSchema>;

/** The EventBridge envelope of an SES event. */
export const sesEventBridgeEventSchema = z.looseObject({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  time: z.string(),
  detail: sesEventDetailSchema,
});
