import { defineRoute } from '../../shared/http/route';
import { journalApi } from '../../shared/api/journal';
import { journalPromptsRoute } from '../../shared/manifest';
import { journalPrompts } from '../../shared/usecases/journal';

export const handler = defineRoute(journalPromptsRoute, journalApi.journalPrompts, async ({ principal, query }) => ({
  status: 200,
  body: await journalPrompts(principal, {
    ...(query.trainingId ? { trainingId: query.trainingId } : {}),
    ...(query.lang ? { lang: query.lang } : {}),
  }),
}));
