import * as z from '../schemas/zod';
import regionsFile from '../../config/regions.json' with { type: 'json' };

/** The file's schema, built only where the file is checked (shared/config/files.ts), never at a cold start. */
function regionsFileSchema() {
  const nameText = z.string().check(z.minLength(1));
  const localizedName = z.object({ kk: nameText, ru: nameText, en: nameText });
  const region = z.object({
    id: z.string().check(z.regex(/^[a-z][a-z-]*$/)),
    code: z.string().check(z.regex(/^[A-Z]{3}$/)),
    kind: z.enum(['oblast', 'city']),
    name: localizedName,
  });
  return z.object({ regions: z.array(region).check(z.minLength(1)) });
}

export type Region = z.infer<ReturnType<typeof regionsFileSchema>>['regions'][number];

export function parseRegionsFile(value: unknown): z.infer<ReturnType<typeof regionsFileSchema>> {
  return regionsFileSchema().parse(value);
}

/** As bundled: checked where the code is built (shared/config/files.ts), so a broken edit fails the deployment, not a request. */
export const regions = regionsFile.regions as readonly Region[];

const regionsById = new Map(regions.map((region) => [region.id, region]));

export function findRegion(id: string): Region | undefined {
  return regionsById.get(id);
}

export const regionIds = regions.map((region) => region.id);
