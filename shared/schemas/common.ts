import * as z from './zod';
import { findRegion } from '../config/regions';
import { languages } from '../locale/language';

export const languageSchema = z.enum(languages, { error: 'must be one of kk, ru, en' });

export const regionIdSchema = z
  .string({ error: 'must be a region id from GET /api/regions' })
  .check(z.refine((id) => findRegion(id) !== undefined, { error: 'is not a known region; use an id from GET /api/regions' }));

/** ISO-8601 with an explicit offset, so "10:00" is never ambiguous between Almaty and UTC. */
export const instantSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T10:00:00+05:00',
});

export const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'is not a valid id' }));

/** An opaque paging cursor returned by a previous page. */
/** A training's id in the path: its own module-light home, because nearly every route names one. */
export const trainingIdParams = z.strictObject({ id: idSchema });

export const cursorSchema = z
  .string()
  .check(
    z.maxLength(2048, { error: 'is longer than any cursor this API hands out; start again from the first page' }),
    z.regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a cursor from a previous page; start again from the first page' }),
  );

/**
 * A strict object's message for a field it does not know, naming what to send instead
 * (`onlyFields('only reason')` → "…; send only reason"); other issues keep their own message.
 */
export function onlyFields(send: string) {
  return (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys?.join(', ')}; send ${send}` : undefined;
}
