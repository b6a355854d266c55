import * as z from '../schemas/zod';
import { emailSchema } from '../schemas/registration';
import {
  cancelTrainingSchema,
  createTrainingSchema,
  listTrainingsQuery,
  trainingIdParams,
  updateTrainingSchema,
} from '../schemas/training';
import type { AreaRequests } from './contract';

const nationalTrainerParams = z.strictObject({ email: emailSchema });

export const trainingsApi = {
  createTraining: { body: createTrainingSchema },
  listTrainings: { query: listTrainingsQuery },
  getTraining: { params: trainingIdParams },
  updateTraining: { params: trainingIdParams, body: updateTrainingSchema },
  publishTraining: { params: trainingIdParams },
  // The reason is optional, so an empty body is as good as `{}`.
  cancelTraining: {
    params: trainingIdParams,
    body: z.pipe(
      z.transform((body: unknown) => body ?? {}),
      cancelTrainingSchema,
    ),
    bodyOptional: true,
  },
  closeTraining: { params: trainingIdParams },
  designateNationalTrainer: { params: nationalTrainerParams },
  undesignateNationalTrainer: { params: nationalTrainerParams },
} satisfies AreaRequests;
