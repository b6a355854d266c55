/**
 * The check-in code's format, on its own so that the request schema (schemas/attendance) and the
 * rules that compute codes (domain/check-in) share it without importing each other.
 */

/** 32 symbols, none of them easy to confuse: no 0/O, no 1/I. Each one is 5 bits of the HMAC. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

/**
 * Cyrillic letters that look like Latin ones: phones in Kazakhstan often have a Cyrillic keyboard
 * up, and "КМ" typed there must still be the "KM" on the screen.
 */
const lookalikes: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', З: '3', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Ү: 'Y', Х: 'X',
};

/** What a person typed, as the code it means: any case, spaces or dashes, Cyrillic look-alikes. */
export function normalizeCode(typed: string): string {
  return [...typed.normalize('NFKC').toUpperCase().replace(/[\s\-‐-―_.]/g, '')]
    .map((char) => lookalikes[char] ?? char)
    .join('');
}
