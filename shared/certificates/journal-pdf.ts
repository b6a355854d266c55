/**
 * The journal as a PDF (A4, flowing text), with the certificates' embedded DejaVu Sans subset so
 * every Kazakh letter renders. Like the certificate, pdfkit never loads a standard font (the
 * document starts with `font: null`), so the module works bundled. A character outside the
 * subset (an emoji, a rare script) is printed as "?" rather than as an invisible box.
 */
import PDFDocument from 'pdfkit';
import type { Language } from '../locale/language';
import { exportLabels, formatDay, type ExportEntry } from '../domain/journal';
import { BOLD, fontFile, REGULAR, sharedFonts } from './pdf-fonts';
import { documentBytes, NO_STANDARD_FONT } from './pdf-layout';

let files: { regular: Buffer; bold: Buffer } | undefined;

/** The font files as pdfkit takes them: it parses and subsets them per document (flowing text needs its own layout). */
function fonts(): { regular: Buffer; bold: Buffer } {
  files ??= { regular: fontFile(REGULAR), bold: fontFile(BOLD) };
  return files;
}

/** Keeps what the font can draw; anything else becomes "?" (line breaks stay). */
export function printable(text: string): string {
  const coverage = sharedFonts()[REGULAR];
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    out += character === '\n' || coverage.hasGlyphForCodePoint(code) ? character : '?';
  }
  return out;
}

export function renderJournalPdf(authorName: string, entries: readonly ExportEntry[], language: Language): Promise<Buffer> {
  const labels = exportLabels[language];
  const { regular, bold } = fonts();
  const document = new PDFDocument({ size: 'A4', margin: 56, font: NO_STANDARD_FONT, info: { Title: labels.heading } });
  document.registerFont('regular', regular);
  document.registerFont('bold', bold);
  const done = documentBytes(document);
  document.font('bold').fontSize(18).text(printable(`${labels.heading}: ${authorName}`));
  document.moveDown();
  if (entries.length === 0) document.font('regular').fontSize(11).text(printable(labels.empty));
  for (const entry of entries) {
    document.font('bold').fontSize(14).text(printable(entry.title));
    document.font('regular').fontSize(9).fillColor('#555555');
    document.text(printable(`${labels.written}: ${formatDay(entry.createdAt, language)}`));
    if (entry.trainingTitle) document.text(printable(`${labels.training}: ${entry.trainingTitle}`));
    if (entry.prompt) document.text(printable(`${labels.prompt}: ${entry.prompt}`));
    document.fillColor('#000000').fontSize(11).moveDown(0.5);
    document.text(printable(entry.text.replace(/\r\n/g, '\n')));
    document.moveDown();
  }
  document.end();
  return done;
}
