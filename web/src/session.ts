/** Who is signed in: the ID token (from the local issuer or Cognito) and the claims in it. */
export type Role = 'admins' | 'coordinators' | 'trainers' | 'teachers';

export interface Session {
  token: string;
  sub: string;
  email: string;
  name: string;
  groups: Role[];
  region?: string;
  expiresAt: number;
}

const STORAGE_KEY = 'session';

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads the claims of an ID token. The signature is not checked here: the API checks it on every
 * call; the app only needs to know whom to greet and which pages to offer.
 */
export function sessionFromToken(token: string): Session | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as Role[]) : [];
    const region = claims['custom:region'];
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return {
      token,
      sub: text(claims.sub),
      email: text(claims.email),
      name: text(claims.name) || text(claims.email),
      groups,
      ...(typeof region === 'string' ? { region } : {}),
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : 0,
    };
  } catch {
    return undefined;
  }
}

export function hasRole(session: Session | undefined, ...roles: Role[]): boolean {
  return session !== undefined && roles.some((role) => session.groups.includes(role));
}

export function loadSession(now = Date.now()): Session | undefined {
  const token = localStorage.getItem(STORAGE_KEY);
  const session = token ? sessionFromToken(token) : undefined;
  if (!session || session.expiresAt <= now) {
    localStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
  return session;
}

export function saveSession(token: string): Session | undefined {
  const session = sessionFromToken(token);
  if (session) localStorage.setItem(STORAGE_KEY, token);
  return session;
}

export function clearSession(): void {
  localStorage.removeItem(STORAGE_KEY);
}
