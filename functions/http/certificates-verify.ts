import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { verifyCertificate } from '../../shared/usecases/certificates';

const params = z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(32)) });

export const handler = defineRoute(routes.verifyCertificate, { params }, async ({ params }) => ({
  status: 200,
  body: await verifyCertificate(params.code),
}));
