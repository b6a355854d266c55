import * as z from '../schemas/zod';
import { localizedFull, reply, type RouteResponses } from './reply';

const health = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ table: z.enum(['ok', 'unavailable']), bucket: z.enum(['ok', 'unavailable']) }),
});

export const publicResponses = {
  health: {
    success: {
      200: reply('The table and the bucket answer.', health),
      503: reply('The table or the bucket does not answer.', health),
    },
    errors: [],
  },
  listRegions: {
    success: {
      200: reply(
        'The 17 oblasts and 3 cities.',
        z.object({ items: z.array(z.object({ id: z.string(), code: z.string(), kind: z.string(), name: localizedFull })) }),
      ),
    },
    errors: [],
  },
  openApiDocument: {
    success: { 200: reply('This document.', z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })) },
    errors: [],
  },
} satisfies Record<string, RouteResponses>;
