import { pageQuery } from '../schemas/paging';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

/** The caller's own lists: one paging rule for all of them (shared/schemas/paging.ts). */
export const myTrainingsRequest = { query: pageQuery } satisfies RouteSpec;
export const myRegistrationsRequest = { query: pageQuery } satisfies RouteSpec;
export const myCertificatesRequest = { query: pageQuery } satisfies RouteSpec;

export const meApi = {
  myTrainings: myTrainingsRequest,
  myRegistrations: myRegistrationsRequest,
  myCertificates: myCertificatesRequest,
} satisfies AreaRequests;
