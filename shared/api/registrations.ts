import * as z from '../schemas/zod';
import { pageQuery } from '../schemas/paging';
import { registerBodySchema } from '../schemas/registration';
import { trainingIdParams } from '../schemas/training';
import type { AreaRequests } from './contract';

const csvText = z.string().check(
  z.minLength(1, { error: 'the file is empty; export the participants from the spreadsheet as CSV and upload again' }),
);

export const registrationsApi = {
  register: { params: trainingIdParams, body: registerBodySchema },
  withdrawRegistration: { params: trainingIdParams },
  roster: { params: trainingIdParams, query: pageQuery },
  importRegistrations: { params: trainingIdParams, body: csvText, bodyFormat: 'text' },
} satisfies AreaRequests;
