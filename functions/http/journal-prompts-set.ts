import { defineRoute } from '../../shared/http/route';
import { setJournalPromptsRequest } from '../../shared/api/journal';
import { setJournalPromptsRoute } from '../../shared/manifest';
import { setTrainerPrompts } from '../../shared/usecases/journal';

export const handler = defineRoute(
  setJournalPromptsRoute,
  setJournalPromptsRequest,
  async ({ principal, params, body }) => ({ status: 200, body: await setTrainerPrompts(principal, params.id, body.prompts) }),
);
