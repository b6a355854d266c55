import { defineRoute } from '../../shared/http/route';
import { issuerKeyRequest } from '../../shared/api/certificates';
import { issuerKeyRoute } from '../../shared/manifest';
import { issuerPublicKey } from '../../shared/usecases/certificate-lifecycle';

/** The JWS `kid` of every credential and status list dereferences to this JWK. */
export const handler = defineRoute(issuerKeyRoute, issuerKeyRequest, async () => ({
  status: 200,
  body: issuerPublicKey(),
  headers: { 'content-type': 'application/jwk+json', 'cache-control': 'public, max-age=3600' },
}));
