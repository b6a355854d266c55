import { defineRoute } from '../../shared/http/route';
import { myRegistrationsRequest } from '../../shared/api/me';
import { myRegistrationsRoute } from '../../shared/manifest';
import { myRegistrations } from '../../shared/usecases/registrations';

export const handler = defineRoute(myRegistrationsRoute, myRegistrationsRequest, async ({ principal, query }) => ({
  status: 200,
  body: await myRegistrations(principal, query),
}));
