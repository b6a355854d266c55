import * as z from '../schemas/zod';
import regionsFile from '../../config/regions.json' with { type: 'json' };

const nameText = z.string().check(z.minLength(1));
const localizedName = z.object({ kk: nameText, ru: nameText, en: nameText });

const regionSchema = z.object({
  id: z.string().check(z.regex(/^[a-z][a-z-]*$/)),
  code: z.string().check(z.regex(/^[A-Z]{3}$/)),
  kind: z.enum(['oblast', 'city']),
  name: localizedName,
});

export type Region = z.infer<typeof regionSchema>;

/** Parsed at load so a broken edit of config/regions.json fails the deployment, not a request. */
export const regions: readonly Region[] = z
  .object({ regions: z.array(regionSchema).check(z.minLength(1)) })
  .parse(regionsFile).regions;

const regionsById = new Map(regions.map((region) => [region.id, region]));

export function findRegion(id: string): Region | undefined {
  return regionsById.get(id);
}

export const regionIds = regions.map((region) => region.id);
