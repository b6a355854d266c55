/**
 * Cognito's hosted sign-in with the authorization-code flow and PKCE: no client secret in the
 * page, and the ID token it returns is what the HTTP API's JWT authorizer checks.
 */
import type { AuthConfig } from './config';

type Cognito = Extract<AuthConfig, { kind: 'cognito' }>;

const redirectUri = () => `${location.origin}/auth/callback`;

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function startHostedSignIn(auth: Cognito, returnTo: string): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(`https://${auth.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  }).toString();
  location.assign(url.toString());
}

/** On /auth/callback: trades the code for tokens; returns the ID token and where to go next. */
export async function finishHostedSignIn(auth: Cognito, search: string): Promise<{ idToken: string; returnTo: string }> {
  const params = new URLSearchParams(search);
  const saved = JSON.parse(sessionStorage.getItem('pkce') ?? '{}') as { verifier?: string; state?: string; returnTo?: string };
  sessionStorage.removeItem('pkce');
  const code = params.get('code');
  if (!code || !saved.verifier || params.get('state') !== saved.state) throw new Error('sign-in state mismatch');
  const response = await fetch(`https://${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const tokens = (await response.json()) as { id_token: string };
  return { idToken: tokens.id_token, returnTo: saved.returnTo ?? '/' };
}
