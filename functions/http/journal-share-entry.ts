import { defineRoute } from '../../shared/http/route';
import { shareJournalEntryRequest } from '../../shared/api/journal';
import { shareJournalEntryRoute } from '../../shared/manifest';
import { shareJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  shareJournalEntryRoute,
  shareJournalEntryRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await shareJournalEntry(principal, params.entryId, body.shared) }),
);
