import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalEntryParams } from '../../shared/schemas/journal';
import { getJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.getJournalEntry, { params: journalEntryParams }, async ({ principal, params }) => ({
  status: 200,
  body: await getJournalEntry(principal, params.entryId),
  headers: { 'cache-control': 'no-store' },
}));
