import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { listJournalEntries } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.listJournal, journalApi.listJournal, async ({ principal, query }) => ({
  status: 200,
  body: await listJournalEntries(principal, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
  headers: { 'cache-control': 'no-store' },
}));
