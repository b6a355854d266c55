import * as z from '../schemas/zod';
import { pageQuery } from '../schemas/paging';
import { registerBodySchema } from '../schemas/registration';
import { trainingIdParams } from '../schemas/common';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

const csvText = z.string().check(
  z.minLength(1, { error: 'the file is empty; export the participants from the spreadsheet as CSV and upload again' }),
);

export const registerRequest = { params: trainingIdParams, body: registerBodySchema } satisfies RouteSpec;
export const withdrawRegistrationRequest = { params: trainingIdParams } satisfies RouteSpec;
export const rosterRequest = { params: trainingIdParams, query: pageQuery } satisfies RouteSpec;
export const importRegistrationsRequest = { params: trainingIdParams, body: csvText, bodyFormat: 'text' } satisfies RouteSpec;

export const registrationsApi = {
  register: registerRequest,
  withdrawRegistration: withdrawRegistrationRequest,
  roster: rosterRequest,
  importRegistrations: importRegistrationsRequest,
} satisfies AreaRequests;
