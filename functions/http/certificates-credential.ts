import { defineRoute, type HttpResponse } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { certificateIdParams } from '../../shared/schemas/certificate-lifecycle';
import { certificateCredential } from '../../shared/usecases/certificate-lifecycle';
import { signedResponse } from '../../shared/http/signed-response';

export const handler = defineRoute(
  routes.certificateCredential,
  { params: certificateIdParams },
  async ({ principal, params, event }): Promise<HttpResponse> =>
    signedResponse(await certificateCredential(principal, params.id), event.headers, 'private, no-store'),
);
