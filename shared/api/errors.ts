import * as z from '../schemas/zod';

/** The one error body shared/http/route.ts emits, for every 4xx and 5xx a handler answers. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** A conflict's or refusal's machine-readable cause, e.g. `already_registered`. */
    reason: z.optional(z.string()),
    /** Facts behind the reason, e.g. when the action becomes possible. */
    details: z.optional(z.record(z.string(), z.string())),
    /** Field-level messages: `body.sessions.1.startsAt`-style keys (body fields have no prefix). */
    fields: z.optional(z.record(z.string(), z.array(z.string()))),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** What the gateway itself answers before any handler runs (the JWT authorizer's 401, unknown paths). */
export const gatewayErrorSchema = z.object({ message: z.string() });
