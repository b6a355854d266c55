import { optionalEnv } from '../env';
import { assertSecretAccess } from './access';
import { cachedLoad } from './cached';
import { secretString } from './secret-string';

/**
 * The HMAC key of check-in codes (see shared/domain/check-in.ts). Every function that issues or
 * checks codes must see the same key, or codes shown by one would be refused by another.
 *
 * - Locally: CHECK_IN_SECRET_ARN is a file:/// URL to the key the local runtime keeps under its
 *   data directory; unit tests may set the key itself as CHECK_IN_SECRET.
 * - On AWS: the secret named by CHECK_IN_SECRET_ARN in Secrets Manager (a SecretString of at
 *   least 32 characters), read once per container and cached. The function needs
 *   secretsmanager:GetSecretValue on that one secret (manifest permission `checkInSecret`).
 */
const MIN_SECRET_LENGTH = 32;

const key = cachedLoad(loadKey);

export async function checkInKey(): Promise<Uint8Array> {
  assertSecretAccess('checkInSecret');
  return key.get();
}

async function loadKey(): Promise<Uint8Array> {
  const local = optionalEnv('CHECK_IN_SECRET');
  if (local !== undefined) return asKey(local, 'CHECK_IN_SECRET');
  const arn = optionalEnv('CHECK_IN_SECRET_ARN');
  if (arn === undefined) {
    throw new Error('Neither CHECK_IN_SECRET nor CHECK_IN_SECRET_ARN is set; the deployment must provide the check-in key.');
  }
  return asKey(await secretString(arn, 'The check-in secret'), 'the check-in secret');
}

function asKey(secret: string, source: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${source} is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value.`);
  }
  return new TextEncoder().encode(secret);
}

/** For tests: forget the cached key so a changed environment is read again. */
export function forgetCheckInKey(): void {
  key.forget();
}
