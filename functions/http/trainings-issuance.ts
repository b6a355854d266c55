import { defineRoute } from '../../shared/http/route';
import { certificatesApi } from '../../shared/api/certificates';
import { issuanceProgressRoute } from '../../shared/manifest';
import { issuanceProgressOf } from '../../shared/usecases/delivery';

export const handler = defineRoute(issuanceProgressRoute, certificatesApi.issuanceProgress, async ({ principal, params }) => ({
  status: 200,
  body: await issuanceProgressOf(principal, params.id),
}));
