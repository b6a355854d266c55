import * as z from 'zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { cursorSchema } from '../../shared/schemas/common';
import { listMyTrainings } from '../../shared/usecases/trainings';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorSchema.optional(),
});

export const handler = defineRoute(routes.myTrainings, { query: pageQuery }, async ({ principal, query }) => ({
  status: 200,
  body: await listMyTrainings(principal, query),
}));
