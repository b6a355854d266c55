import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { deleteJournalEntryRoute } from '../../shared/manifest';
import { deleteJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(deleteJournalEntryRoute, journalApi.deleteJournalEntry, async ({ principal, params }) => {
  await deleteJournalEntry(principal, params.entryId);
  return { status: 204 };
});
