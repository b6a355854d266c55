import { defineRoute } from '../../shared/http/route';
import { issuanceProgressRequest } from '../../shared/api/certificates';
import { issuanceProgressRoute } from '../../shared/manifest';
import { issuanceProgressOf } from '../../shared/usecases/delivery';

export const handler = defineRoute(issuanceProgressRoute, issuanceProgressRequest, async ({ principal, params }) => ({
  status: 200,
  body: await issuanceProgressOf(principal, params.id),
}));
