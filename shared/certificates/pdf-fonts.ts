/**
 * The fonts of every PDF the platform makes (certificates, the journal export): subsets of DejaVu
 * Sans pre-built at build time (fonts/build-subset.ts: Latin, Cyrillic and every Kazakh letter,
 * ~50 KB each, no hinting, no OpenType layout tables), read from `./fonts/*.ttf` next to this
 * module (`import.meta.url`), so a bundle must ship them in a `fonts/` folder beside the bundled
 * file. Nothing is read at import: the first caller pays for it, once per container.
 */
import { readFileSync } from 'node:fs';
import { create as parseFont, type Font, type Glyph, type GlyphPosition, type GlyphRun } from 'fontkit';

export const REGULAR = 'DejaVuSans';
export const BOLD = 'DejaVuSans-Bold';
export type FontName = typeof REGULAR | typeof BOLD;

const files: Record<FontName, string> = { [REGULAR]: 'DejaVuSans-Certificate.ttf', [BOLD]: 'DejaVuSans-Bold-Certificate.ttf' };

/** The bytes of one font file, or an error that says where the bundle must put it. */
export function fontFile(name: FontName): Buffer {
  const file = files[name];
  const url = new URL(`./fonts/${file}`, import.meta.url);
  try {
    return readFileSync(url);
  } catch (error) {
    throw new Error(`Font ${file} not found at ${url.href}: ship shared/certificates/fonts/*.ttf in a fonts/ folder beside the bundle.`, {
      cause: error,
    });
  }
}

function loadFont(name: FontName): Font {
  const parsed = parseFont(fontFile(name));
  if (!('layout' in parsed)) throw new Error(`Font ${files[name]} is a font collection, not a single font.`);
  return shareAcrossDocuments(parsed, files[name]);
}

/** A glyph run as pdfkit reads it (fontkit's GlyphRun shape): glyphs, positions, total advance. */
class SimpleRun {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: GlyphPosition[],
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/**
 * pdfkit keeps its font caches per document, and fontkit's shaper costs ~0.2–0.4 ms for each
 * new string. A container renders many documents with one parsed font, so:
 * - layout: the fonts carry no OpenType layout tables (fonts/build-subset.ts drops them), and
 *   Latin and Cyrillic need no shaping, so a run is one glyph per character, advanced by its
 *   width — what fontkit's shaper computes for such a font, without its per-string machinery;
 * - a glyph's decoded outline (fontkit's `_decode`, no public API) is kept: the per-document
 *   font subset decodes every glyph it copies only to find composite glyphs' parts. Safe for a
 *   static (non-variable) TrueType font, where nothing writes to the decoded glyph.
 * Sharing the font also shares fontkit's Glyph objects; see getGlyph below for the one catch.
 */
function shareAcrossDocuments(font: Font, file: string): Font {
  const tables = Object.keys((font as Font & { directory: { tables: Record<string, unknown> } }).directory.tables);
  const layoutTables = tables.filter((tag) => ['GSUB', 'GPOS', 'kern', 'morx'].includes(tag));
  if (layoutTables.length > 0) {
    throw new Error(`Font ${file} has layout tables (${layoutTables.join(', ')}): rebuild it with fonts/build-subset.ts.`);
  }

  const layout = font.layout.bind(font);
  const glyphs = new Map<number, Glyph>();
  font.layout = (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return layout(text, features, ...rest);
    const run = new SimpleRun([], []);
    for (const character of text) {
      const codePoint = character.codePointAt(0) ?? 0;
      let glyph = glyphs.get(codePoint);
      if (!glyph) {
        glyph = font.glyphForCodePoint(codePoint);
        glyphs.set(codePoint, glyph);
      }
      run.glyphs.push(glyph);
      run.positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return run as unknown as GlyphRun;
  };

  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id, codePoints) => {
    const glyph = getGlyph(id, codePoints) as Glyph & { _decode?: () => unknown; decodeShared?: true };
    // fontkit keeps the first Glyph object made for an id. A document's subset makes the parts of
    // a composite glyph (ь inside ы) without code points; a later document that types ь gets that
    // object, and pdfkit's ToUnicode map would lose the letter. Give it its code points back.
    if (codePoints?.length && glyph.codePoints.length === 0) glyph.codePoints = codePoints;
    if (glyph.decodeShared || typeof glyph._decode !== 'function') return glyph;
    const decode = glyph._decode.bind(glyph);
    let decoded: unknown;
    let done = false;
    glyph._decode = () => {
      if (!done) {
        decoded = decode();
        done = true;
      }
      return decoded;
    };
    glyph.decodeShared = true;
    return glyph;
  };
  return font;
}

let parsedFonts: Record<FontName, Font> | undefined;

/** Both fonts, parsed once per container and shared by every document (see shareAcrossDocuments). */
export function sharedFonts(): Record<FontName, Font> {
  parsedFonts ??= { [REGULAR]: loadFont(REGULAR), [BOLD]: loadFont(BOLD) };
  return parsedFonts;
}

/** Whether both fonts can draw this character (else it would print as an empty box). */
export function fontsCanDraw(codePoint: number): boolean {
  const fonts = sharedFonts();
  return fonts[REGULAR].hasGlyphForCodePoint(codePoint) && fonts[BOLD].hasGlyphForCodePoint(codePoint);
}

/** A parsed font as pdfkit takes it: pdfkit checks for `layout`; its types do not know the shape. */
export function registerSharedFonts(doc: PDFKit.PDFDocument): void {
  const fonts = sharedFonts();
  doc.registerFont(REGULAR, fonts[REGULAR] as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, fonts[BOLD] as unknown as PDFKit.Mixins.PDFFontSource);
}
