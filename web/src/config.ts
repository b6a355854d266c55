/**
 * /config.json, written at deploy time (CDK) or served by the local gateway: how to sign in and
 * the public base of verification links (the one certificates and emails print).
 */
export type AuthConfig =
  | { kind: 'local' }
  | { kind: 'cognito'; domain: string; clientId: string; region: string };

export interface AppConfig {
  auth: AuthConfig;
  publicBaseUrl: string;
}

let config: AppConfig = { auth: { kind: 'local' }, publicBaseUrl: location.origin };

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (response.ok) {
    const loaded = (await response.json()) as Partial<AppConfig>;
    config = { auth: loaded.auth ?? config.auth, publicBaseUrl: (loaded.publicBaseUrl ?? location.origin).replace(/\/+$/, '') };
  }
  return config;
}

export function appConfig(): AppConfig {
  return config;
}

export function verificationUrl(code: string): string {
  return `${config.publicBaseUrl}/verify/${encodeURIComponent(code)}`;
}
