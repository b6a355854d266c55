import { defineRoute } from '../../shared/http/route';
import { deleteJournalEntryRequest } from '../../shared/api/journal';
import { deleteJournalEntryRoute } from '../../shared/manifest';
import { deleteJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(deleteJournalEntryRoute, deleteJournalEntryRequest, async ({ principal, params }) => {
  await deleteJournalEntry(principal, params.entryId);
  return { status: 204 };
});
