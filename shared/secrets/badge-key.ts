import { createHash, createPrivateKey } from 'node:crypto';
import { badgeKeysFromJwk, loadOrCreateBadgeKeys, type BadgeKeys } from '../certificates/open-badge';
import { optionalEnv } from '../env';
import { assertSecretAccess } from './access';
import { cachedLoad } from './cached';
import { isLocalSecretFile, localSecretPath, secretString } from './secret-string';

/**
 * The Ed25519 key that signs Open Badges credentials and status lists. Every function that signs
 * must see the same key, or a credential and its status list would not verify against one
 * published public key.
 *
 * - Locally: BADGE_KEY_SECRET_ARN is a file:/// URL to a private JWK file the local runtime
 *   creates once under its data directory (mode 0600); unit tests may name the file as BADGE_KEY_FILE.
 * - On AWS: the secret named by BADGE_KEY_SECRET_ARN (manifest permission `badgeKey`), read once
 *   per container. Its SecretString is either a private Ed25519 JWK (an imported key) or the
 *   random string Secrets Manager generated at deploy time, whose SHA-256 is the Ed25519 seed:
 *   so the key never appears in a template and needs no custom resource to be created.
 */
const MIN_SEED_SECRET_LENGTH = 32;

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const keys = cachedLoad(loadKeys);

export async function badgeKeys(): Promise<BadgeKeys> {
  assertSecretAccess('badgeKey');
  return keys.get();
}

async function loadKeys(): Promise<BadgeKeys> {
  const file = optionalEnv('BADGE_KEY_FILE');
  if (file !== undefined) return loadOrCreateBadgeKeys(file);
  const arn = optionalEnv('BADGE_KEY_SECRET_ARN');
  if (arn === undefined) {
    throw new Error('Neither BADGE_KEY_FILE nor BADGE_KEY_SECRET_ARN is set; the deployment must provide the badge signing key.');
  }
  // Locally the reference is the private JWK file, made on first use and kept with the data.
  if (isLocalSecretFile(arn)) return loadOrCreateBadgeKeys(localSecretPath(arn));
  return badgeKeysFromSecret(await secretString(arn, 'The badge key secret'));
}

/** A private Ed25519 JWK, or a long random string whose SHA-256 is the key's seed. */
export function badgeKeysFromSecret(secret: string): BadgeKeys {
  const text = secret.trim();
  if (text.startsWith('{')) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(text);
    } catch (error) {
      throw new Error('The badge key secret starts like JSON but is not; store a private JWK or a random string.', { cause: error });
    }
    return badgeKeysFromJwk(jwk as Parameters<typeof badgeKeysFromJwk>[0]);
  }
  if (text.length < MIN_SEED_SECRET_LENGTH) {
    throw new Error(`The badge key secret is shorter than ${MIN_SEED_SECRET_LENGTH} characters; use a long random value.`);
  }
  const seed = createHash('sha256').update(text, 'utf8').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return badgeKeysFromJwk(privateKey.export({ format: 'jwk' }));
}

/** For tests: forget the cached key so a changed environment is read again. */
export function forgetBadgeKeys(): void {
  keys.forget();
}
