import * as z from '../schemas/zod';
import { trainingIdParams } from '../schemas/common';
import { emailSchema } from '../schemas/registration';
import {
  cancelTrainingSchema,
  createTrainingSchema,
  listTrainingsQuery,
  updateTrainingSchema,
} from '../schemas/training';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

const nationalTrainerParams = z.strictObject({ email: emailSchema });

export const createTrainingRequest = { body: createTrainingSchema } satisfies RouteSpec;
export const listTrainingsRequest = { query: listTrainingsQuery } satisfies RouteSpec;
export const getTrainingRequest = { params: trainingIdParams } satisfies RouteSpec;
export const updateTrainingRequest = { params: trainingIdParams, body: updateTrainingSchema } satisfies RouteSpec;
export const publishTrainingRequest = { params: trainingIdParams } satisfies RouteSpec;
// The reason is optional, so an empty body is as good as `{}`.
export const cancelTrainingRequest = {
  params: trainingIdParams,
  body: z.pipe(
    z.transform((body: unknown) => body ?? {}),
    cancelTrainingSchema,
  ),
  bodyOptional: true,
} satisfies RouteSpec;
export const closeTrainingRequest = { params: trainingIdParams } satisfies RouteSpec;
export const designateNationalTrainerRequest = { params: nationalTrainerParams } satisfies RouteSpec;
export const undesignateNationalTrainerRequest = { params: nationalTrainerParams } satisfies RouteSpec;

export const trainingsApi = {
  createTraining: createTrainingRequest,
  listTrainings: listTrainingsRequest,
  getTraining: getTrainingRequest,
  updateTraining: updateTrainingRequest,
  publishTraining: publishTrainingRequest,
  cancelTraining: cancelTrainingRequest,
  closeTraining: closeTrainingRequest,
  designateNationalTrainer: designateNationalTrainerRequest,
  undesignateNationalTrainer: undesignateNationalTrainerRequest,
} satisfies AreaRequests;
