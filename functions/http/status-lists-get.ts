import { defineRoute, type HttpResponse } from '../../shared/http/route';
import { statusListRequest } from '../../shared/api/certificates';
import { statusListRoute } from '../../shared/manifest';
import { statusListCredential } from '../../shared/usecases/certificate-lifecycle';
import { signedResponse } from '../../shared/http/signed-response';

/** Verifiers may cache a list for a few minutes: a revocation shows within that time. */
export const handler = defineRoute(
  statusListRoute,
  statusListRequest,
  async ({ params, event }): Promise<HttpResponse> =>
    signedResponse(await statusListCredential(params.listId), event.headers, 'public, max-age=300'),
);
