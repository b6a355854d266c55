import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { checkInBodySchema } from '../../shared/schemas/attendance';
import { checkIn } from '../../shared/usecases/attendance';

export const handler = defineRoute(routes.checkIn, { body: checkInBodySchema }, async ({ principal, body }) => ({
  status: 200,
  body: await checkIn(principal, body.code),
}));
