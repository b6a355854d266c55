import type { HttpResponse } from './route';

export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';

/**
 * A signed credential, negotiated: the bare VC-JWT for clients that ask for `application/vc+jwt`
 * (wallets, verifiers), otherwise JSON `{jwt, credential}` so a page can show what was signed.
 */
export function signedResponse(
  signed: { jwt: string; credential: unknown },
  headers: Readonly<Record<string, string | undefined>>,
  cacheControl: string,
): HttpResponse {
  const accept = headers.accept ?? '';
  const wantsJwt = accept.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === VC_JWT_MEDIA_TYPE);
  const common = { 'cache-control': cacheControl, vary: 'accept' };
  if (wantsJwt) return { status: 200, text: signed.jwt, headers: { 'content-type': VC_JWT_MEDIA_TYPE, ...common } };
  return { status: 200, body: { jwt: signed.jwt, credential: signed.credential }, headers: common };
}
