import { optionalEnv } from '../env';
import { assertSecretAccess } from './access';
import { cachedLoad } from './cached';
import { secretString } from './secret-string';

/**
 * The key that seals paging cursors (shared/http/cursors.ts). Every function that hands out or
 * accepts a cursor of the same list must see the same key.
 *
 * - Locally: CURSOR_SECRET_ARN is a file:/// URL to the key the local runtime keeps under its
 *   data directory; unit tests may set the key itself as CURSOR_SECRET.
 * - On AWS: the secret named by CURSOR_SECRET_ARN (a SecretString of at least 32 characters),
 *   read once per container; manifest permission `cursorKey`.
 */
const MIN_SECRET_LENGTH = 32;

const key = cachedLoad(loadKey);

export function cursorKey(): Promise<Uint8Array> {
  assertSecretAccess('cursorKey');
  return key.get();
}

async function loadKey(): Promise<Uint8Array> {
  const local = optionalEnv('CURSOR_SECRET');
  if (local !== undefined) return asKey(local, 'CURSOR_SECRET');
  const arn = optionalEnv('CURSOR_SECRET_ARN');
  if (arn === undefined) {
    throw new Error('Neither CURSOR_SECRET nor CURSOR_SECRET_ARN is set; the deployment must provide the cursor key.');
  }
  return asKey(await secretString(arn, 'The cursor secret'), 'the cursor secret');
}

function asKey(secret: string, source: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${source} is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value.`);
  }
  return new TextEncoder().encode(secret);
}

/** For tests: forget the cached key so a changed environment is read again. */
export function forgetCursorKey(): void {
  key.forget();
}
