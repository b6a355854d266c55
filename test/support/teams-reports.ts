/**
 * Teams attendance report files as Teams writes them, for tests: the text is written out by hand
 * in each test (tabs, sections, locale dates), only the encoding is done here.
 */
export function utf16WithBom(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
}

export function utf8(text: string, bom = false): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]));
}

/** Lines of cells joined with tabs and CRLF, the way the Teams download is laid out. */
export function tsv(rows: readonly (readonly string[])[]): string {
  return rows.map((cells) => cells.join('\t')).join('\r\n') + '\r\n';
}
