import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { trainerJournal } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.trainerJournal, { params: trainingIdParams }, async ({ principal, params }) => ({
  status: 200,
  body: await trainerJournal(principal, params.id),
  headers: { 'cache-control': 'no-store' },
}));
