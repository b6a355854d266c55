import { UnsupportedMediaTypeError } from '../../shared/errors';
import { defineRoute } from '../../shared/http/route';
import { importRegistrationsRequest } from '../../shared/api/registrations';
import { importRegistrationsRoute } from '../../shared/manifest';
import { importRegistrations } from '../../shared/usecases/registrations';

/** Spreadsheets export CSV under several names; all of them are text. */
const CSV_TYPES = /^(text\/csv|text\/plain|application\/csv|application\/vnd\.ms-excel)\b/i;

export const handler = defineRoute(
  importRegistrationsRoute,
  importRegistrationsRequest,
  async ({ principal, params, body, event }) => {
    if (!CSV_TYPES.test(event.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeError('Upload the participants as a CSV file with Content-Type: text/csv.');
    }
    return { status: 200, body: await importRegistrations(principal, params.id, body) };
  },
);
