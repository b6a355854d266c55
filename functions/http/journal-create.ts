import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { createJournalEntrySchema } from '../../shared/schemas/journal';
import { createJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.createJournalEntry, { body: createJournalEntrySchema }, async ({ principal, body }) => ({
  status: 201,
  body: await createJournalEntry(principal, body),
}));
