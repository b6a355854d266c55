import * as z from 'zod';
import regionsFile from '../../config/regions.json' with { type: 'json' };

export const languages = ['kk', 'ru', 'en'] as const;
export type Language = (typeof languages)[number];

const localizedName = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });

const regionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z-]*$/),
  code: z.string().regex(/^[A-Z]{3}$/),
  kind: z.enum(['oblast', 'city']),
  name: localizedName,
});

export type Region = z.infer<typeof regionSchema>;

/** Parsed at load so a broken edit of config/regions.json fails the deployment, not a request. */
export const regions: readonly Region[] = z
  .object({ regions: z.array(regionSchema).min(1) })
  .parse(regionsFile).regions;

const regionsById = new Map(regions.map((region) => [region.id, region]));

export function findRegion(id: string): Region | undefined {
  return regionsById.get(id);
}

export const regionIds = regions.map((region) => region.id);
