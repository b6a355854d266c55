import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { trainerJournal } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.trainerJournal, journalApi.trainerJournal, async ({ principal, params }) => ({
  status: 200,
  body: await trainerJournal(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
