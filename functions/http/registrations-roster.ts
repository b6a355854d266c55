import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { pageQuery } from '../../shared/schemas/paging';
import { trainingIdParams } from '../../shared/schemas/training';
import { roster } from '../../shared/usecases/registrations';

export const handler = defineRoute(
  routes.roster,
  { params: trainingIdParams, query: pageQuery },
  async ({ principal, params, query }) => ({ status: 200, body: await roster(principal, params.id, query) }),
);
