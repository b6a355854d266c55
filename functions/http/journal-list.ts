import { defineRoute } from '../../shared/http/route';
import { listJournalRequest } from '../../shared/api/journal';
import { listJournalRoute } from '../../shared/manifest';
import { listJournalEntries } from '../../shared/usecases/journal';

export const handler = defineRoute(listJournalRoute, listJournalRequest, async ({ principal, query }) => ({
  status: 200,
  body: await listJournalEntries(principal, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
  headers: { 'cache-control': 'no-store' },
}));
