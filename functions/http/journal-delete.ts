import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { deleteJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.deleteJournalEntry, journalApi.deleteJournalEntry, async ({ principal, params }) => {
  await deleteJournalEntry(principal, params.entryId);
  return { status: 204 };
});
