import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { journalPromptsQuery } from '../../shared/schemas/journal';
import { journalPrompts } from '../../shared/usecases/journal';

export const handler = defineRoute(routes.journalPrompts, { query: journalPromptsQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await journalPrompts(principal, {
    ...(query.trainingId ? { trainingId: query.trainingId } : {}),
    ...(query.lang ? { lang: query.lang } : {}),
  }),
}));
