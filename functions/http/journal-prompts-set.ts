import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainerPromptsSchema } from '../../shared/schemas/journal';
import { trainingIdParams } from '../../shared/schemas/training';
import { setTrainerPrompts } from '../../shared/usecases/journal';

export const handler = defineRoute(
  routes.setJournalPrompts,
  { params: trainingIdParams, body: trainerPromptsSchema },
  async ({ principal, params, body }) => ({ status: 200, body: await setTrainerPrompts(principal, params.id, body.prompts) }),
);
