import * as z from 'zod';
import { cursorSchema } from './common';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: cursorSchema.optional(),
});
