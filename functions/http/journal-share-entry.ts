import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalEntryParams, shareSchema } from '../../shared/schemas/journal';
import { shareJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.shareJournalEntry,
  { params: journalEntryParams, body: shareSchema },
  async ({ principal, params, body }) => ({ status: 200, body: await shareJournalEntry(principal, params.entryId, body.shared) }),
);
