import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { cursorSchema } from '../../shared/schemas/common';
import { listMyTrainings } from '../../shared/usecases/trainings';

const pageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(cursorSchema),
});

export const handler = defineRoute(routes.myTrainings, { query: pageQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await listMyTrainings(principal, query),
}));
