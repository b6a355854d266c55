import { get } from './api';
import type { Language } from './i18n';
import type { ResponseBody } from '../../shared/api/client';

export type Region = ResponseBody<'listRegions'>['items'][number];

let cached: Promise<Region[]> | undefined;

/** The 20 regions change with a law, not a deploy: fetched once per page load. */
export function loadRegions(): Promise<Region[]> {
  cached ??= get('listRegions', '/api/regions').then((body) => body.items, (error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export function regionName(regions: readonly Region[] | undefined, id: string, language: Language): string {
  return regions?.find((region) => region.id === id)?.name[language] ?? id;
}
