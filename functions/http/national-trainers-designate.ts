import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { emailSchema } from '../../shared/schemas/registration';
import { designateNationalTrainer } from '../../shared/usecases/trainings';

const params = z.strictObject({ email: emailSchema });

export const handler = defineRoute(routes.designateNationalTrainer, { params }, async ({ principal, params }) => ({
  status: 200,
  body: await designateNationalTrainer(principal, params.email),
}));
