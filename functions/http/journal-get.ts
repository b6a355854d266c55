import { defineRoute } from '../../shared/http/route';
import { getJournalEntryRequest } from '../../shared/api/journal';
import { getJournalEntryRoute } from '../../shared/manifest';
import { getJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(getJournalEntryRoute, getJournalEntryRequest, async ({ principal, params }) => ({
  status: 200,
  body: await getJournalEntry(principal, params.entryId),
  headers: { 'cache-control': 'no-store' },
}));
