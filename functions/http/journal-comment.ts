import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { commentSchema, trainerJournalEntryParams } from '../../shared/schemas/journal';
import { commentOnJournalEntry } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.commentJournalEntry,
  { params: trainerJournalEntryParams, body: commentSchema },
  async ({ principal, params, body }) => ({ status: 201, body: await commentOnJournalEntry(principal, params.id, params.entryId, body.text) }),
);
