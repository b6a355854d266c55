/**
 * The layout engine of the certificate page: text placed line by line with measured widths (no
 * pdfkit line wrapper), fitted, wrapped and centred on an A4 landscape page. Widths are measured
 * once per font and text and shared by every document (the fonts never change).
 */
import { REGULAR, sharedFonts, type FontName } from './pdf-fonts';

export const PAGE_WIDTH = 841.89; // A4 landscape, points
export const PAGE_HEIGHT = 595.28;
export const CENTER = PAGE_WIDTH / 2;
export const CONTENT_LEFT = 70;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_LEFT;

export const colors = {
  primary: '#17476b',
  accent: '#b08d3c',
  ink: '#1f2328',
  muted: '#5f6670',
  faint: '#8b929b',
  rule: '#d5d9de',
};

export interface Style {
  font: FontName;
  size: number;
  color: string;
  spacing?: number;
}

export type Align = 'left' | 'center' | 'right';

/** Width of a text at 1 pt per font, shared by all documents (the fonts never change). */
const measured = new Map<string, number>();

export class Page {
  /** When false, layout runs without drawing (to measure a block before placing it). */
  drawing = true;
  private currentFill: string | undefined;

  constructor(readonly doc: PDFKit.PDFDocument) {}

  width(text: string, style: Style): number {
    const key = `${style.font}\u0000${text}`;
    let perPoint = measured.get(key);
    if (perPoint === undefined) {
      this.doc.font(style.font).fontSize(1000);
      perPoint = this.doc.widthOfString(text) / 1000;
      if (measured.size >= 4096) measured.clear();
      measured.set(key, perPoint);
    }
    // pdfkit adds the character spacing between UTF-16 code units.
    return perPoint * style.size + (style.spacing ?? 0) * Math.max(0, text.length - 1);
  }

  /** One line, no wrapping; `x` is the left edge, the centre or the right edge per `align`. */
  line(text: string, x: number, y: number, style: Style, align: Align = 'left'): void {
    if (!this.drawing) return;
    const width = align === 'left' ? 0 : this.width(text, style);
    const left = align === 'center' ? x - width / 2 : align === 'right' ? x - width : x;
    this.fillColor(style.color);
    this.doc.font(style.font).fontSize(style.size).text(text, left, y, { lineBreak: false, characterSpacing: style.spacing ?? 0 });
  }

  /** pdfkit writes the colour operators on every call; write them only when the colour changes. */
  fillColor(color: string): void {
    if (this.currentFill === color) return;
    this.doc.fillColor(color);
    this.currentFill = color;
  }

  /** The style shrunk (down to `minSize`) so the text fits `maxWidth` on one line. */
  fit(text: string, style: Style, maxWidth: number, minSize: number): Style {
    let size = style.size;
    let width = this.width(text, style);
    while (width > maxWidth && size > minSize) {
      size = Math.max(minSize, Math.floor(size * (maxWidth / width) * 4) / 4);
      width = this.width(text, { ...style, size });
      if (width > maxWidth && size > minSize) size -= 0.25;
    }
    return { ...style, size };
  }

  /** Greedy word wrap; a word longer than a line is broken between characters. */
  wrap(text: string, style: Style, maxWidth: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.width(candidate, style) <= maxWidth) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      current = word;
      while (this.width(current, style) > maxWidth && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && this.width(current.slice(0, cut), style) > maxWidth) cut -= 1;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  /**
   * Wraps into at most `maxLines`, shrinking from `style.size` to `minSize`; at the smallest size
   * the last line is cut with an ellipsis. Returns the lines and the style used.
   */
  block(text: string, style: Style, maxWidth: number, maxLines: number, minSize: number) {
    let current = style;
    for (;;) {
      const lines = this.wrap(text, current, maxWidth);
      if (lines.length <= maxLines) return { lines, style: current };
      if (current.size <= minSize) {
        const kept = lines.slice(0, maxLines);
        let last = `${kept[maxLines - 1] ?? ''}…`;
        while (this.width(last, current) > maxWidth && last.length > 1) last = `${last.slice(0, -2)}…`;
        kept[maxLines - 1] = last;
        return { lines: kept, style: current };
      }
      current = { ...current, size: Math.max(minSize, current.size - 1) };
    }
  }

  /** Centred lines from `y`; returns the y under the last one. */
  centredLines(lines: string[], y: number, style: Style, leading = 1.25): number {
    let top = y;
    for (const text of lines) {
      this.line(text, CENTER, top, style, 'center');
      top += style.size * leading;
    }
    return top;
  }

  /**
   * "primary · English" centred on one line, the English part muted; on two lines when one
   * would be too wide. Without an English part (English holder), just the primary text.
   */
  pair(primary: string, english: string | undefined, y: number, style: Style, englishStyle: Style): number {
    if (english === undefined) {
      const fitted = this.fit(primary, style, CONTENT_WIDTH, style.size * 0.7);
      this.line(primary, CENTER, y, fitted, 'center');
      return y + fitted.size * 1.3;
    }
    const primaryWidth = this.width(primary, style);
    const second = `  ·  ${english}`;
    const total = primaryWidth + this.width(second, englishStyle);
    if (total <= CONTENT_WIDTH) {
      const left = CENTER - total / 2;
      this.line(primary, left, y, style);
      // pdfkit places a line's top at y and its baseline an ascent lower: share the baseline.
      this.line(second, left + primaryWidth, y + (style.size - englishStyle.size) * regularAscent(), englishStyle);
      return y + style.size * 1.3;
    }
    const fittedPrimary = this.fit(primary, style, CONTENT_WIDTH, style.size * 0.7);
    this.line(primary, CENTER, y, fittedPrimary, 'center');
    const next = y + fittedPrimary.size * 1.2;
    const fittedEnglish = this.fit(english, englishStyle, CONTENT_WIDTH, englishStyle.size * 0.7);
    this.line(english, CENTER, next, fittedEnglish, 'center');
    return next + fittedEnglish.size * 1.3;
  }

  rule(x1: number, x2: number, y: number, color: string, lineWidth: number): void {
    if (!this.drawing) return;
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(lineWidth).strokeColor(color).stroke();
  }
}

let ascent: number | undefined;

/** The regular font's ascent per point of size (pdfkit places a line's top, not its baseline). */
function regularAscent(): number {
  const regular = sharedFonts()[REGULAR];
  ascent ??= regular.ascent / regular.unitsPerEm;
  return ascent;
}

/**
 * pdfkit would open Helvetica before our fonts are registered, `require`-ing its metrics from its
 * own package at run time, which an esbuild bundle does not have: every document starts with no
 * font. The types do not know `null`.
 */
export const NO_STANDARD_FONT = null as unknown as string;

/** The whole document's bytes once it has ended. Listen before calling `doc.end()`. */
export function documentBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
