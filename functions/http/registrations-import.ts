import * as z from '../../shared/schemas/zod';
import { UnsupportedMediaTypeError } from '../../shared/errors';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { trainingIdParams } from '../../shared/schemas/training';
import { importRegistrations } from '../../shared/usecases/registrations';

const csvText = z
  .string()
  .check(z.minLength(1, { error: 'the file is empty; export the participants from the spreadsheet as CSV and upload again' }));

/** Spreadsheets export CSV under several names; all of them are text. */
const CSV_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/vnd\.ms-excel)\b/i;

export const handler = defineRoute(
  routes.importRegistrations,
  { params: trainingIdParams, body: csvText, bodyFormat: 'text' },
  async ({ principal, params, body, event }) => {
    if (!CSV_TYPES.test(event.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeError('Upload the participants as a CSV file with Content-Type: text/csv.');
    }
    return { status: 200, body: await importRegistrations(principal, params.id, body) };
  },
);
