import { defineRoute } from '../../shared/http/route';
import { shareJournalTrainingRequest } from '../../shared/api/journal';
import { shareJournalTrainingRoute } from '../../shared/manifest';
import { shareJournalTraining } from '../../shared/usecases/journal';

export const handler = defineRoute(
  shareJournalTrainingRoute,
  shareJournalTrainingRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await shareJournalTraining(principal, params.trainingId, body.shared) }),
);
