import * as z from 'zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { verifyCertificate } from '../../shared/usecases/certificates';

const params = z.strictObject({ code: z.string().min(1).max(32) });

export const handler = defineRoute(routes.verifyCertificate, { params }, async ({ params }) => ({
  status: 200,
  body: await verifyCertificate(params.code),
}));
