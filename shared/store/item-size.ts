/**
 * The size DynamoDB counts for an item against its 400 KB limit, by its documented rules: UTF-8
 * bytes of every attribute name and string, about one byte per two significant digits of a
 * number plus one, one byte for a boolean or null, three bytes plus one per element for a list
 * or map. An estimate from above for numbers; exact enough to warn long before the limit.
 */
const encoder = new TextEncoder();

export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

function bytes(text: string): number {
  return encoder.encode(text).length;
}

function numberSize(value: number): number {
  const digits = String(Math.abs(value)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
}

export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return bytes(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce<number>((total, element) => total + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((total, element) => total + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((total, [name, element]) => total + 1 + bytes(name) + valueSize(element), 0);
  }
  return 0;
}

export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((total, [name, value]) => total + bytes(name) + valueSize(value), 0);
}
