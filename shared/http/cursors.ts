import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { InvalidCursorError } from '../errors';

/**
 * Sealed paging cursors. The store's cursor is DynamoDB's last evaluated key, which names
 * partitions (a trainer's sub, a holder's email, registration ids); handed out as it is, a client
 * could read those and craft a key into another partition. Sealed, a cursor is AES-256-GCM over
 * that key with the binding as associated data: opaque, and any change to it, or its use with
 * another route, path, query or caller, fails the tag check.
 *
 * Format (base64url, so it needs no escaping in a URL): version byte, 12-byte IV, ciphertext,
 * 16-byte tag.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any real cursor (a four-attribute key is a few hundred bytes), far below a URL limit. */
const MAX_SEALED_CHARS = 2048;

/** A key for this purpose only, derived from the secret, so the secret itself is never a cipher key. */
function sealingKey(secret: Uint8Array): Buffer {
  return createHmac('sha256', secret).update('cascade-training/paging-cursor/v1').digest();
}

export function sealCursor(raw: string, binding: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(raw, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

/** The store's cursor inside `sealed`, or InvalidCursorError; never says which check failed. */
export function unsealCursor(sealed: string, binding: string, secret: Uint8Array): string {
  if (sealed.length > MAX_SEALED_CHARS || !/^[A-Za-z0-9_-]+$/.test(sealed)) throw new InvalidCursorError();
  const bytes = Buffer.from(sealed, 'base64url');
  // Base64url that does not round-trip has stray bits a tampered copy could differ in.
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION || bytes.toString('base64url') !== sealed) {
    throw new InvalidCursorError();
  }
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new InvalidCursorError();
  }
}

/**
 * What a cursor is bound to: the route, its path parameters, its query except the cursor itself
 * and the page size (a client may ask for bigger pages midway), and the caller. Keys are sorted,
 * so the order parameters come in does not matter.
 */
export function cursorBinding(input: {
  route: string;
  pathParameters?: Record<string, string | undefined>;
  query?: Record<string, string | undefined>;
  caller?: string;
}): string {
  const sorted = (record: Record<string, string | undefined> = {}, leaveOut: readonly string[] = []) =>
    Object.entries(record)
      .filter(([name, value]) => value !== undefined && !leaveOut.includes(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([input.route, sorted(input.pathParameters), sorted(input.query, ['cursor', 'limit']), input.caller ?? '']);
}

/**
 * The sealing key, read on first use: the Secrets Manager client then loads in the routes that
 * page, not in every route the route layer wraps.
 */
export async function cursorKey(): Promise<Uint8Array> {
  const { cursorKey: readKey } = await import('../secrets/cursor-key');
  return readKey();
}

/**
 * A cursor handed out by one route for another to take (a summary's "more answers" link): sealed
 * to the request the other route will receive, as if that route had answered it.
 */
export async function sealForRoute(
  raw: string,
  target: { route: string; pathParameters: Record<string, string>; query: Record<string, string>; caller: string },
): Promise<string> {
  return sealCursor(raw, cursorBinding(target), await cursorKey());
}
