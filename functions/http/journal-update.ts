import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { updateJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.updateJournalEntry,
  journalApi.updateJournalEntry,
  async ({ principal, params, body }) => ({ status: 200, body: await updateJournalEntry(principal, params.entryId, body) }),
);
