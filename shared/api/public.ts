import type { AreaRequests } from './contract';

/** Public reads without parameters. */
export const publicApi = {
  health: {},
  listRegions: {},
  openApiDocument: {},
} satisfies AreaRequests;
