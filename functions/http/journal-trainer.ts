import { defineRoute } from '../../shared/http/route';
import { trainerJournalRequest } from '../../shared/api/journal';
import { trainerJournalRoute } from '../../shared/manifest';
import { trainerJournal } from '../../shared/usecases/journal';

export const handler = defineRoute(trainerJournalRoute, trainerJournalRequest, async ({ principal, params }) => ({
  status: 200,
  body: await trainerJournal(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
