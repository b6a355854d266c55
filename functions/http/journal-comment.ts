import { defineRoute } from '../../shared/http/route';
import { commentJournalEntryRequest } from '../../shared/api/journal';
import { commentJournalEntryRoute } from '../../shared/manifest';
import { commentOnJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  commentJournalEntryRoute,
  commentJournalEntryRequest,
  async ({ principal, params, body }) => ({ status: 201, body: await commentOnJournalEntry(principal, params.id, params.entryId, body.text) }),
);
