/**
 * What a scanned QR or a typed entry holds, reduced to the code: the QR encodes the check-in
 * page's URL (`/check-in?code=…`), people type the code with spaces or in lower case. The server
 * normalizes and validates again; this only picks the code out.
 */
export function codeFromScan(text: string): string {
  const trimmed = text.trim();
  try {
    const url = new URL(trimmed);
    const code = url.searchParams.get('code');
    if (code) return code.trim().toUpperCase();
  } catch {
    // Not a URL: the code itself.
  }
  return trimmed.replace(/[\s-]+/g, '').toUpperCase();
}
