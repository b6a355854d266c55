import * as z from './zod';
import { cursorSchema } from './common';

export const pageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 50),
  cursor: z.optional(cursorSchema),
});
