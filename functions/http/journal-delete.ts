import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalEntryParams } from '../../shared/schemas/journal';
import { deleteJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.deleteJournalEntry, { params: journalEntryParams }, async ({ principal, params }) => {
  await deleteJournalEntry(principal, params.entryId);
  return { status: 204 };
});
