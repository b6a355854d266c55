import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalListQuery } from '../../shared/schemas/journal';
import { listJournalEntries } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.listJournal, { query: journalListQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await listJournalEntries(principal, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
  headers: { 'cache-control': 'no-store' },
}));
