import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import * as z from 'zod';
import { findRegion } from '../shared/config/regions';
import { roles } from '../shared/auth/roles';

export const LOCAL_ISSUER = 'urn:cascade-training:local';
export const LOCAL_AUDIENCE = 'cascade-training-web';
const TOKEN_LIFETIME = '12h';

/**
 * Stands in for Cognito: signs ID-token-shaped JWTs with the claims the HTTP API authorizer would
 * pass on (`sub`, `email`, `name`, `cognito:groups`, `custom:region`).
 */
export interface LocalIssuer {
  issue(identity: TokenRequest): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

export const tokenRequestSchema = z
  .strictObject({
    email: z.email({ error: 'must be an email address' }),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    groups: z.array(z.enum(roles, { error: `must be one of ${roles.join(', ')}` })).min(1, { error: 'needs at least one group' }),
    region: z.string().optional(),
    /** Shorter lives let tests and demos see an expired session. */
    expiresInSeconds: z.number().int().min(1).max(12 * 3600).optional(),
  })
  .superRefine((request, context) => {
    if (request.region !== undefined && !findRegion(request.region)) {
      context.addIssue({ code: 'custom', path: ['region'], message: 'is not a known region; use an id from GET /api/regions' });
    }
    if (request.groups.includes('coordinators') && request.region === undefined) {
      context.addIssue({ code: 'custom', path: ['region'], message: 'is required for a coordinator' });
    }
  });
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** The same email always gets the same `sub`, as one Cognito user would. */
export function subjectFor(email: string): string {
  const hex = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface StoredKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKey(keyFile: string | undefined): Promise<StoredKey> {
  if (keyFile && fs.existsSync(keyFile)) return JSON.parse(fs.readFileSync(keyFile, 'utf8')) as StoredKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const stored = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  if (keyFile) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
  }
  return stored;
}

/** With a key file the key survives restarts, so tokens handed out stay valid. */
export async function createLocalIssuer(keyFile?: string): Promise<LocalIssuer> {
  const stored = await loadOrCreateKey(keyFile);
  const privateKey = await importJWK(stored.privateJwk, 'ES256');
  const publicKey = await importJWK(stored.publicJwk, 'ES256');
  return {
    issue: (identity) =>
      new SignJWT({
        email: identity.email,
        name: identity.name,
        'cognito:groups': identity.groups,
        ...(identity.region ? { 'custom:region': identity.region } : {}),
      })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject(subjectFor(identity.email))
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(identity.expiresInSeconds ? `${identity.expiresInSeconds}s` : TOKEN_LIFETIME)
        .sign(privateKey),
    verify: async (token) =>
      (await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] })).payload,
  };
}
