import * as z from '../schemas/zod';
import type { $ZodType, output } from 'zod/v4/core';

/**
 * One answer a route can give on success: a JSON body with its schema, a file (PDF, CSV, …), or
 * nothing. `T` is what the typed clients see; it is the schema's own type unless `replyAs`
 * names a domain type that the schema describes (checked when this compiles).
 */
export interface Reply<T = unknown> {
  description: string;
  schema?: $ZodType;
  /** Content types of non-JSON bodies this status can carry (chosen by `format`, `Accept`, …). */
  files?: readonly string[];
  /** Only a carrier for the type; never set. */
  readonly type?: T;
}

/** The statuses a domain error maps to (shared/errors.ts); the others come from the route itself. */
export type DomainErrorStatus = 404 | 409 | 410 | 429;

export interface RouteResponses {
  /** 2xx (and health's 503): what each status carries. */
  success: Partial<Record<200 | 201 | 202 | 204 | 503, Reply>>;
  /**
   * The domain errors this route can answer. 400 (request schemas), 401/403 (not public) and
   * 413/415 (a body) follow from the manifest and the request spec (see errorStatusesOf).
   */
  errors: readonly DomainErrorStatus[];
}

export function reply<S extends $ZodType>(description: string, schema: S, files?: readonly string[]): Reply<output<S>> {
  return { description, schema, ...(files ? { files } : {}) };
}

/**
 * A reply typed by a domain type the schema describes, for answers whose types live with their
 * use case. Compiles only while the domain type conforms to the schema.
 */
export function replyAs<T>() {
  return <S extends $ZodType>(description: string, schema: S & ([T] extends [output<S>] ? unknown : never), files?: readonly string[]): Reply<T> => ({
    description,
    schema,
    ...(files ? { files } : {}),
  });
}

export function file(description: string, ...contentTypes: string[]): Reply<never> {
  return { description, files: contentTypes };
}

export function empty(description: string): Reply<undefined> {
  return { description };
}

/** Schemas that the OpenAPI document names as components (`#/components/schemas/{id}`), not inlines. */
export const components = z.registry<{ id: string }>();

export function named<S extends $ZodType>(id: string, schema: S): S {
  components.add(schema, { id });
  return schema;
}

/** A page of a list: `nextCursor` comes back sealed and goes in as `cursor`. */
export function page<S extends $ZodType>(item: S) {
  return z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });
}

export const instant = z.string().check(z.minLength(1));
export const language = z.enum(['kk', 'ru', 'en']);
export const localized = z.object({ kk: z.optional(z.string()), ru: z.optional(z.string()), en: z.optional(z.string()) });
export const localizedFull = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
export const count = z.number().check(z.int(), z.nonnegative());
export const nullableNumber = z.nullable(z.number());
