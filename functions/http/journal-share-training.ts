import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalTrainingParams, shareSchema } from '../../shared/schemas/journal';
import { shareJournalTraining } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.shareJournalTraining,
  { params: journalTrainingParams, body: shareSchema },
  async ({ principal, params, body }) => ({ status: 200, body: await shareJournalTraining(principal, params.trainingId, body.shared) }),
);
