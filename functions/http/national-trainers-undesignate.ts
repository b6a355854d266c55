import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { emailSchema } from '../../shared/schemas/registration';
import { undesignateNationalTrainer } from '../../shared/usecases/trainings';

const params = z.strictObject({ email: emailSchema });

export const handler = defineRoute(routes.undesignateNationalTrainer, { params }, async ({ params }) => {
  await undesignateNationalTrainer(params.email);
  return { status: 204 };
});
