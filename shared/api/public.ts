import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

/** Public reads without parameters. */
export const healthRequest = {} satisfies RouteSpec;
export const listRegionsRequest = {} satisfies RouteSpec;
export const openApiDocumentRequest = {} satisfies RouteSpec;

export const publicApi = {
  health: healthRequest,
  listRegions: listRegionsRequest,
  openApiDocument: openApiDocumentRequest,
} satisfies AreaRequests;
