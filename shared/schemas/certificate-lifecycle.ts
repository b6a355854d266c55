import * as z from './zod';
import { idSchema, onlyFields } from './common';
import { fullNameSchema } from './registration';

export const certificateIdParams = z.strictObject({ id: idSchema });

/** Why a certificate is revoked: shown by verify to anyone who checks it, so it must say something. */
const reasonSchema = z
  .string({ error: 'must be text' })
  .check(
    z.trim(),
    z.minLength(3, { error: 'must say why, in at least 3 characters', abort: true }),
    z.maxLength(500, { error: 'must be at most 500 characters' }),
    z.overwrite((reason) => reason.normalize('NFC').replace(/\s+/g, ' ')),
  );

export const revokeBodySchema = z.strictObject({ reason: reasonSchema }, { error: onlyFields('only reason') });

export const reissueBodySchema = z.strictObject(
  { fullName: z.optional(fullNameSchema), reason: z.optional(reasonSchema) },
  { error: onlyFields('only fullName (the corrected name) and reason') },
);

export const statusListParams = z.strictObject({
  listId: z.string().check(z.regex(/^[A-Z]{3}-\d{4}$/, { error: 'is not a status list id such as ALA-2026' })),
});
