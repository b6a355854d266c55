import { pageQuery } from '../schemas/paging';
import type { AreaRequests } from './contract';

/** The caller's own lists: one paging rule for all of them (shared/schemas/paging.ts). */
export const meApi = {
  myTrainings: { query: pageQuery },
  myRegistrations: { query: pageQuery },
  myCertificates: { query: pageQuery },
} satisfies AreaRequests;
