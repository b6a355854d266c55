import { defineRoute, type HttpResponse } from '../../shared/http/route';
import { certificatesApi } from '../../shared/api/certificates';
import { routes } from '../../shared/manifest';
import { certificateCredential } from '../../shared/usecases/certificate-lifecycle';
import { signedResponse } from '../../shared/http/signed-response';

export const handler = defineRoute(
  routes.certificateCredential,
  certificatesApi.certificateCredential,
  async ({ principal, params, event }): Promise<HttpResponse> =>
    signedResponse(await certificateCredential(principal, params.id), event.headers, 'private, no-store'),
);
