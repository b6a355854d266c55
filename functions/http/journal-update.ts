import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalEntryParams, updateJournalEntrySchema } from '../../shared/schemas/journal';
import { updateJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.updateJournalEntry,
  { params: journalEntryParams, body: updateJournalEntrySchema },
  async ({ principal, params, body }) => ({ status: 200, body: await updateJournalEntry(principal, params.entryId, body) }),
);
