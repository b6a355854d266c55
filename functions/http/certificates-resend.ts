import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { idSchema } from '../../shared/schemas/common';
import { resendCertificate } from '../../shared/usecases/delivery';

const params = z.strictObject({ id: idSchema });

export const handler = defineRoute(routes.resendCertificate, { params }, async ({ principal, params }) => ({
  status: 202,
  body: await resendCertificate(principal, params.id),
}));
