import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { createJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.createJournalEntry, journalApi.createJournalEntry, async ({ principal, body }) => ({
  status: 201,
  body: await createJournalEntry(principal, body),
}));
