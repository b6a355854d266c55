import { defineRoute } from '../../shared/http/route';
import { journalPromptsRequest } from '../../shared/api/journal';
import { journalPromptsRoute } from '../../shared/manifest';
import { journalPrompts } from '../../shared/usecases/journal';

export const handler = defineRoute(journalPromptsRoute, journalPromptsRequest, async ({ principal, query }) => ({
  status: 200,
  body: await journalPrompts(principal, {
    ...(query.trainingId ? { trainingId: query.trainingId } : {}),
    ...(query.lang ? { lang: query.lang } : {}),
  }),
}));
