import { defineRoute, type HttpResponse } from '../../shared/http/route';
import { certificateCredentialRequest } from '../../shared/api/certificates';
import { certificateCredentialRoute } from '../../shared/manifest';
import { certificateCredential } from '../../shared/usecases/certificate-lifecycle';
import { signedResponse } from '../../shared/http/signed-response';

export const handler = defineRoute(
  certificateCredentialRoute,
  certificateCredentialRequest,
  async ({ principal, params, event }): Promise<HttpResponse> =>
    signedResponse(await certificateCredential(principal, params.id), event.headers, 'private, no-store'),
);
