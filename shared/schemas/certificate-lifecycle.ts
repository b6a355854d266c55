import * as z from 'zod';
import { idSchema } from './common';
import { fullNameSchema } from './registration';

export const certificateIdParams = z.strictObject({ id: idSchema });

/** Why a certificate is revoked: shown by verify to anyone who checks it, so it must say something. */
const reasonSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(3, { error: 'must say why, in at least 3 characters', abort: true })
  .max(500, { error: 'must be at most 500 characters' })
  .overwrite((reason) => reason.normalize('NFC').replace(/\s+/g, ' '));

export const revokeBodySchema = z.strictObject(
  { reason: reasonSchema },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.join(', ')}; send only reason` : undefined,
  },
);

export const reissueBodySchema = z.strictObject(
  { fullName: fullNameSchema.optional(), reason: reasonSchema.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown field(s) ${issue.keys.join(', ')}; send only fullName (the corrected name) and reason`
        : undefined,
  },
);

export const statusListParams = z.strictObject({
  listId: z.string().regex(/^[A-Z]{3}-\d{4}$/, { error: 'is not a status list id such as ALA-2026' }),
});
