import { defineRoute } from '../../shared/http/route';
import { createJournalEntryRequest } from '../../shared/api/journal';
import { createJournalEntryRoute } from '../../shared/manifest';
import { createJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(createJournalEntryRoute, createJournalEntryRequest, async ({ principal, body }) => ({
  status: 201,
  body: await createJournalEntry(principal, body),
}));
