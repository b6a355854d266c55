import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The text of a PDF as poppler's pdftotext extracts it: what a reader would copy out of it. */
export function pdfText(pdf: Buffer): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'certificate-'));
  const file = path.join(directory, 'certificate.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
