import { defineRoute } from '../../shared/http/route';
import { updateJournalEntryRequest } from '../../shared/api/journal';
import { updateJournalEntryRoute } from '../../shared/manifest';
import { updateJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  updateJournalEntryRoute,
  updateJournalEntryRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await updateJournalEntry(principal, params.entryId, body) }),
);
