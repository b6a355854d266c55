import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { routes } from '../../shared/manifest';
import { shareJournalTraining } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.shareJournalTraining,
  journalApi.shareJournalTraining,
  async ({ principal, params, body }) => ({ status: 200, body: await shareJournalTraining(principal, params.trainingId, body.shared) }),
);
