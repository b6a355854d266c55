import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { cancelTrainingSchema, trainingIdParams } from '../../shared/schemas/training';
import { cancelTraining } from '../../shared/usecases/trainings';

/** The reason is optional, so an empty body is as good as `{}`. */
const optionalBody = z.pipe(
  z.transform((body: unknown) => body ?? {}),
  cancelTrainingSchema,
);

export const handler = defineRoute(
  routes.cancelTraining,
  { params: trainingIdParams, body: optionalBody, bodyOptional: true },
  async ({ principal, params, body }) => ({ status: 200, body: await cancelTraining(principal, params.id, body.reason) }),
);
