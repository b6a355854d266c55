/**
 * The certificate PDF: one A4 landscape page in the holder's language with an English line under
 * each label, an embedded subset of DejaVu Sans (Latin, Cyrillic and every Kazakh letter) and a
 * vector QR code of the public verification URL.
 *
 * Speed comes from doing the expensive work once per container, not once per certificate:
 * - the fonts are pre-subset at build time (fonts/build-subset.ts: ~50 KB each instead of
 *   ~700 KB, no hinting, no OpenType layout tables) and read and parsed with fontkit at module
 *   load; every document reuses the parsed fonts (pdfkit still embeds, per document, a subset of
 *   only the glyphs that document uses);
 * - pdfkit never loads a standard font — the document is created with `font: null` and our fonts
 *   are registered before any text — so the module also works bundled by esbuild;
 * - text is placed line by line with measured widths (no pdfkit line wrapper), and the QR code is
 *   drawn as vector rectangles instead of an embedded PNG.
 *
 * Fonts are read from `./fonts/*.ttf` next to this module (`import.meta.url`). A bundle must
 * ship them in a `fonts/` folder beside the bundled file.
 */
import { readFileSync } from 'node:fs';
import { create as parseFont, type Font, type Glyph, type GlyphPosition, type GlyphRun } from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export type CertificateLanguage = 'kk' | 'ru' | 'en';

export interface CertificatePdfInput {
  /** Full name exactly as it must appear (and be extractable) on the certificate. */
  holderName: string;
  /** The holder's language: labels and dates are in it, with an English line under them. */
  language: CertificateLanguage;
  /** The training's title; the holder's language is shown first, then English (if given). */
  trainingTitle: { kk?: string; ru?: string; en?: string };
  /** Attended / credited hours. */
  hours: number;
  ects?: number;
  /** ISO-8601 instants of the sessions (any order); shown as dates in Asia/Almaty. */
  sessionDates: string[];
  /** `DESTT-{year}-{region code}-{6-digit sequence}`, e.g. `DESTT-2026-ALA-000123`. */
  number: string;
  /** Public verification URL, encoded in the QR code and printed under it. */
  verificationUrl: string;
  trainerName: string;
  /** The issuing centre, e.g. "«Teachers as Leaders» national centre". */
  issuerName: string;
  /** ISO-8601 instant. */
  issuedAt: string;
  /** ISO-8601 instant. */
  validUntil: string;
  /** Cascade level of the training. */
  level: 0 | 1 | 2;
}

// ---------------------------------------------------------------------------------------------
// Fonts: read and parsed once per container.

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
type FontName = typeof REGULAR | typeof BOLD;

function loadFont(file: string): Font {
  const url = new URL(`./fonts/${file}`, import.meta.url);
  let data: Buffer;
  try {
    data = readFileSync(url);
  } catch (error) {
    throw new Error(
      `Certificate font ${file} not found at ${url.href}: ship shared/certificates/fonts/*.ttf in a fonts/ folder beside the bundle.`,
      { cause: error },
    );
  }
  const parsed = parseFont(data);
  if (!('layout' in parsed)) throw new Error(`Certificate font ${file} is a font collection, not a single font.`);
  return shareAcrossDocuments(parsed, file);
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
    throw new Error(`Certificate font ${file} has layout tables (${layoutTables.join(', ')}): rebuild it with fonts/build-subset.ts.`);
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

const fonts: Record<FontName, Font> = {
  [REGULAR]: loadFont('DejaVuSans-Certificate.ttf'),
  [BOLD]: loadFont('DejaVuSans-Bold-Certificate.ttf'),
};
/** The regular font's ascent per point of size. */
const ASCENT = fonts[REGULAR].ascent / fonts[REGULAR].unitsPerEm;

// ---------------------------------------------------------------------------------------------
// Texts.

interface Labels {
  heading: string;
  awardedTo: string;
  forCompleting: string;
  workload: string;
  dates: string;
  level: string;
  issued: string;
  validUntil: string;
  trainer: string;
  number: string;
  verify: string;
  hours: (hours: number) => string;
  days: (days: number) => string;
}

const numberFormats = {
  kk: new Intl.NumberFormat('kk-KZ', { maximumFractionDigits: 2 }),
  ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};
const ruPlural = new Intl.PluralRules('ru-RU');
const enPlural = new Intl.PluralRules('en-GB');
const ruForms = (value: number, one: string, few: string, many: string): string => {
  const rule = ruPlural.select(value);
  return rule === 'one' ? one : rule === 'few' ? few : rule === 'many' ? many : few;
};

const labels: Record<CertificateLanguage, Labels> = {
  kk: {
    heading: 'СЕРТИФИКАТ',
    awardedTo: 'Осы сертификат табыс етіледі',
    forCompleting: 'кәсіби даму бағдарламасын сәтті аяқтағаны үшін',
    workload: 'Көлемі',
    dates: 'Оқу күндері',
    level: 'Каскад деңгейі',
    issued: 'Берілген күні',
    validUntil: 'Жарамдылық мерзімі',
    trainer: 'Тренер',
    number: 'Сертификат нөмірі',
    verify: 'Тексеру',
    hours: (hours) => `${numberFormats.kk.format(hours)} сағат`,
    days: (days) => `${days} оқу күні`,
  },
  ru: {
    heading: 'СЕРТИФИКАТ',
    awardedTo: 'Настоящий сертификат выдан',
    forCompleting: 'за успешное прохождение программы профессионального развития',
    workload: 'Объём',
    dates: 'Даты обучения',
    level: 'Уровень каскада',
    issued: 'Дата выдачи',
    validUntil: 'Действителен до',
    trainer: 'Тренер',
    number: 'Номер сертификата',
    verify: 'Проверка',
    hours: (hours) => `${numberFormats.ru.format(hours)} ${ruForms(hours, 'час', 'часа', 'часов')}`,
    days: (days) => `${days} ${ruForms(days, 'учебный день', 'учебных дня', 'учебных дней')}`,
  },
  en: {
    heading: 'CERTIFICATE',
    awardedTo: 'This certificate is awarded to',
    forCompleting: 'for successfully completing the professional development programme',
    workload: 'Workload',
    dates: 'Training dates',
    level: 'Cascade level',
    issued: 'Issued',
    validUntil: 'Valid until',
    trainer: 'Trainer',
    number: 'Certificate No.',
    verify: 'Verify',
    hours: (hours) => `${numberFormats.en.format(hours)} ${enPlural.select(hours) === 'one' ? 'hour' : 'hours'}`,
    days: (days) => `${days} training ${days === 1 ? 'day' : 'days'}`,
  },
};

/** Under the heading: what kind of certificate, in English (for an English holder, the rest of it). */
const englishSubheading = { other: 'Certificate of Professional Development', en: 'of Professional Development' };

// ---------------------------------------------------------------------------------------------
// Dates in Asia/Almaty.

const almatyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Almaty',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface CalendarDay {
  year: number;
  month: number;
  day: number;
  /** Days since the epoch, to find consecutive days. */
  ordinal: number;
}

/** Formatting to parts is the slow bit; a cohort's certificates share their dates. */
const almatyDays = new Map<string, CalendarDay>();

function almatyDay(iso: string, field: string): CalendarDay {
  const known = almatyDays.get(iso);
  if (known) return known;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new Error(`Certificate ${field} is not an ISO-8601 date: ${iso}`);
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of almatyParts.formatToParts(instant)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  const calendarDay = { year, month, day, ordinal: Date.UTC(year, month - 1, day) / 86_400_000 };
  if (almatyDays.size >= 4096) almatyDays.clear();
  almatyDays.set(iso, calendarDay);
  return calendarDay;
}

const pad = (value: number) => String(value).padStart(2, '0');

function formatDay(day: CalendarDay, language: CertificateLanguage): string {
  return language === 'en'
    ? `${day.day} ${monthsEn[day.month - 1]} ${day.year}`
    : `${pad(day.day)}.${pad(day.month)}.${day.year}`;
}

function formatRange(from: CalendarDay, to: CalendarDay, language: CertificateLanguage): string {
  if (from.ordinal === to.ordinal) return formatDay(from, language);
  const sameMonth = from.year === to.year && from.month === to.month;
  if (language === 'en') {
    if (sameMonth) return `${from.day}–${formatDay(to, language)}`;
    if (from.year === to.year) return `${from.day} ${monthsEn[from.month - 1]} – ${formatDay(to, language)}`;
    return `${formatDay(from, language)} – ${formatDay(to, language)}`;
  }
  if (sameMonth) return `${pad(from.day)}–${formatDay(to, language)}`;
  return `${formatDay(from, language)} – ${formatDay(to, language)}`;
}

/** Distinct session days, sorted, grouped into runs of consecutive days. */
function sessionRuns(sessionDates: string[]): CalendarDay[][] {
  const days = new Map<number, CalendarDay>();
  for (const iso of sessionDates) {
    const day = almatyDay(iso, 'session date');
    days.set(day.ordinal, day);
  }
  const sorted = [...days.values()].sort((a, b) => a.ordinal - b.ordinal);
  const runs: CalendarDay[][] = [];
  for (const day of sorted) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && day.ordinal === last.ordinal + 1) run.push(day);
    else runs.push([day]);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Layout.

const PAGE_WIDTH = 841.89; // A4 landscape, points
const PAGE_HEIGHT = 595.28;
const CENTER = PAGE_WIDTH / 2;
const CONTENT_LEFT = 70;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_LEFT;

const colors = {
  primary: '#17476b',
  accent: '#b08d3c',
  ink: '#1f2328',
  muted: '#5f6670',
  faint: '#8b929b',
  rule: '#d5d9de',
};

interface Style {
  font: FontName;
  size: number;
  color: string;
  spacing?: number;
}

type Align = 'left' | 'center' | 'right';

/** Width of a text at 1 pt per font, shared by all documents (the fonts never change). */
const measured = new Map<string, number>();

class Page {
  /** When false, layout runs without drawing (to measure a block before placing it). */
  drawing = true;
  private currentFill: string | undefined;

  constructor(private readonly doc: PDFKit.PDFDocument) {}

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
  private fillColor(color: string): void {
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
      this.line(second, left + primaryWidth, y + (style.size - englishStyle.size) * ASCENT, englishStyle);
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

  /**
   * The QR code as one filled path in module units (scaled by a transform, so every coordinate
   * is a small integer): one rectangle per run of dark modules, runs repeated on the rows below
   * merged into one taller rectangle. One fill for the whole path, so no seams between rows.
   */
  qr(text: string, x: number, y: number, size: number, color: string): void {
    // One byte-mode segment: the same symbol version for a URL as the library's mixed-mode
    // optimisation, without its search. Level M survives ~15% damage (a fold, a stain).
    const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
    const count = modules.size;
    const dark = (row: number, col: number) => modules.data[row * count + col] === 1;
    /** Open rectangles by "start:end" of their run: top row and height so far. */
    let open = new Map<string, { start: number; end: number; top: number; height: number }>();
    const rects: [number, number, number, number][] = [];
    for (let row = 0; row <= count; row += 1) {
      const next = new Map<string, { start: number; end: number; top: number; height: number }>();
      let col = 0;
      while (row < count && col < count) {
        if (!dark(row, col)) {
          col += 1;
          continue;
        }
        const start = col;
        while (col < count && dark(row, col)) col += 1;
        const key = `${start}:${col}`;
        const above = open.get(key);
        if (above) {
          above.height += 1;
          open.delete(key);
          next.set(key, above);
        } else {
          next.set(key, { start, end: col, top: row, height: 1 });
        }
      }
      for (const rect of open.values()) rects.push([rect.start, rect.top, rect.end - rect.start, rect.height]);
      open = next;
    }
    const scale = size / count;
    this.fillColor(color); // outside save/restore, so the tracked colour stays true after it
    this.doc.save().transform(scale, 0, 0, scale, x, y);
    for (const [left, top, width, height] of rects) this.doc.rect(left, top, width, height);
    this.doc.fill().restore();
  }
}

// ---------------------------------------------------------------------------------------------
// The certificate.

const NUMBER_PATTERN = /^DESTT-\d{4}-[A-Z]{3}-\d{6}$/;

/**
 * Text as printed: composed (NFC, so "й" typed as и + ◌̆ is one glyph), whitespace collapsed to
 * single spaces (a line break in a name must not break the layout).
 */
const clean = (text: string | undefined): string => (text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

function primaryTitle(title: CertificatePdfInput['trainingTitle'], language: CertificateLanguage): string {
  const text = [title[language], title.ru, title.kk, title.en].map(clean).find(Boolean);
  if (!text) throw new Error('Certificate needs a training title in at least one of kk, ru or en.');
  return text;
}

/** The holder's name and the training's title from `top`; returns the height used. */
function holderAndTraining(page: Page, input: CertificatePdfInput, holderName: string, language: CertificateLanguage, top: number): number {
  const text = labels[language];
  const english = language === 'en' ? undefined : labels.en;
  const labelStyle: Style = { font: REGULAR, size: 11, color: colors.ink };
  const labelEnglishStyle: Style = { font: REGULAR, size: 9.5, color: colors.faint };

  let y = page.pair(text.awardedTo, english?.awardedTo, top, labelStyle, labelEnglishStyle) + 6;
  const nameStyle = page.fit(holderName, { font: BOLD, size: 30, color: colors.primary }, CONTENT_WIDTH, 16);
  const nameWidth = page.width(holderName, nameStyle);
  const nameLines = nameWidth <= CONTENT_WIDTH ? [holderName] : page.block(holderName, nameStyle, CONTENT_WIDTH, 2, 12).lines;
  y = page.centredLines(nameLines, y, nameStyle, 1.2);
  const ruleHalf = Math.min(CONTENT_WIDTH, Math.max(320, Math.min(nameWidth, CONTENT_WIDTH) + 60)) / 2;
  page.rule(CENTER - ruleHalf, CENTER + ruleHalf, y + 2, colors.accent, 0.75);
  y += 16;

  y = page.pair(text.forCompleting, english?.forCompleting, y, labelStyle, labelEnglishStyle) + 4;
  const title = primaryTitle(input.trainingTitle, language);
  const titleBlock = page.block(`«${title}»`, { font: BOLD, size: 18, color: colors.ink }, CONTENT_WIDTH, 4, 11);
  y = page.centredLines(titleBlock.lines, y, titleBlock.style);
  const englishTitle = clean(input.trainingTitle.en);
  if (language !== 'en' && englishTitle && englishTitle !== title) {
    const englishBlock = page.block(englishTitle, { font: REGULAR, size: 11, color: colors.muted }, CONTENT_WIDTH, 2, 8);
    y = page.centredLines(englishBlock.lines, y + 2, englishBlock.style);
  }
  return y - top;
}

/**
 * The characters of `text` the certificate fonts cannot draw (they would print as empty boxes):
 * a name or title in a script other than Latin or Cyrillic. Empty when it can be printed.
 */
export function unsupportedCertificateCharacters(text: string): string[] {
  const missing = new Set<string>();
  for (const character of clean(text)) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (character !== ' ' && !(fonts[REGULAR].hasGlyphForCodePoint(codePoint) && fonts[BOLD].hasGlyphForCodePoint(codePoint))) {
      missing.add(character);
    }
  }
  return [...missing];
}

/**
 * Renders one certificate to a PDF buffer (A4 landscape, one page). Throws on a malformed
 * number, an unparseable date, no session date, no holder name or no title. Characters outside
 * the fonts print as empty boxes: check names with unsupportedCertificateCharacters first.
 */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  if (!NUMBER_PATTERN.test(input.number)) {
    throw new Error(`Certificate number ${input.number} is not DESTT-{year}-{region code}-{6-digit sequence}.`);
  }
  if (input.sessionDates.length === 0) throw new Error('Certificate needs at least one session date.');
  const holderName = clean(input.holderName);
  if (!holderName) throw new Error('Certificate needs the holder name.');

  const language = input.language;
  const text = labels[language];
  const english = language === 'en' ? undefined : labels.en;
  const issuedAt = almatyDay(input.issuedAt, 'issuedAt');
  const validUntil = almatyDay(input.validUntil, 'validUntil');
  const runs = sessionRuns(input.sessionDates);

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // Never load a standard font: pdfkit would otherwise open Helvetica before our fonts are
    // registered, `require`-ing its metrics from its own package at run time, which an esbuild
    // bundle does not have. The types do not know `null`.
    font: null as unknown as string,
    lang: { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[language],
    displayTitle: true,
    info: {
      Title: `${text.heading} ${input.number}`,
      Author: clean(input.issuerName),
      Subject: holderName,
      Creator: clean(input.issuerName),
      Producer: 'Teachers as Leaders certificates',
      // Deterministic metadata: the issue date, not the render time.
      CreationDate: new Date(input.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes a parsed fontkit font as a source (it checks for `layout`); its types do not.
  doc.registerFont(REGULAR, fonts[REGULAR] as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, fonts[BOLD] as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(REGULAR);

  const page = new Page(doc);

  // Frame: a strong outer border and a fine accent one inside it.
  doc.rect(18, 18, PAGE_WIDTH - 36, PAGE_HEIGHT - 36).lineWidth(3).strokeColor(colors.primary).stroke();
  doc.rect(26, 26, PAGE_WIDTH - 52, PAGE_HEIGHT - 52).lineWidth(0.75).strokeColor(colors.accent).stroke();

  // Issuing centre and heading.
  const issuer = clean(input.issuerName).toUpperCase();
  page.line(issuer, CENTER, 50, page.fit(issuer, { font: BOLD, size: 11, color: colors.accent, spacing: 0.8 }, CONTENT_WIDTH, 6), 'center');
  page.rule(CENTER - 30, CENTER + 30, 70, colors.accent, 1);
  page.line(text.heading, CENTER, 82, { font: BOLD, size: 36, color: colors.primary, spacing: 3 }, 'center');
  page.line(
    language === 'en' ? englishSubheading.en : englishSubheading.other,
    CENTER,
    127,
    { font: REGULAR, size: 11, color: colors.muted, spacing: 1 },
    'center',
  );

  // Holder and training: laid out once to measure, then drawn centred in the space between
  // the heading and the details.
  const middleTop = 150;
  const middleBottom = 368;
  page.drawing = false;
  const middleHeight = holderAndTraining(page, input, holderName, language, 0);
  page.drawing = true;
  holderAndTraining(page, input, holderName, language, middleTop + Math.max(0, (middleBottom - middleTop - middleHeight) * 0.45));

  // Details: five columns under a fine rule.
  const detailsTop = 380;
  page.rule(CONTENT_LEFT, CONTENT_LEFT + CONTENT_WIDTH, detailsTop, colors.rule, 0.75);
  const workload = input.ects === undefined ? text.hours(input.hours) : `${text.hours(input.hours)} · ${numberFormats[language].format(input.ects)} ECTS`;
  const first = runs[0]?.[0];
  const lastRun = runs.at(-1);
  const last = lastRun?.at(-1);
  const columns: { label: keyof Labels; width: number; value: string[] }[] = [
    { label: 'workload', width: 140, value: [workload] },
    { label: 'dates', width: 206, value: [] },
    { label: 'level', width: 112, value: [String(input.level)] },
    { label: 'issued', width: 122, value: [formatDay(issuedAt, language)] },
    { label: 'validUntil', width: 122, value: [formatDay(validUntil, language)] },
  ];
  const valueStyle: Style = { font: BOLD, size: 11, color: colors.ink };
  const datesColumn = columns[1];
  if (datesColumn && first && last) {
    const listed = runs.map((run) => formatRange(run[0] ?? first, run.at(-1) ?? first, language)).join(', ');
    const listedLines = page.wrap(listed, { ...valueStyle, size: 10 }, datesColumn.width - 12);
    const dayCount = runs.reduce((sum, run) => sum + run.length, 0);
    datesColumn.value = listedLines.length <= 2 ? listedLines : [formatRange(first, last, language), text.days(dayCount)];
  }
  let columnLeft = CONTENT_LEFT;
  for (const [index, column] of columns.entries()) {
    const middle = columnLeft + column.width / 2;
    const inner = column.width - 12;
    const label = (text[column.label] as string).toUpperCase();
    page.line(label, middle, detailsTop + 12, page.fit(label, { font: BOLD, size: 7.5, color: colors.muted, spacing: 0.6 }, inner, 5.5), 'center');
    if (english) {
      const englishLabel = english[column.label] as string;
      page.line(englishLabel, middle, detailsTop + 23, page.fit(englishLabel, { font: REGULAR, size: 7.5, color: colors.faint }, inner, 5.5), 'center');
    }
    const size = column.value.length > 1 ? 10 : 11;
    column.value.forEach((value, line) => {
      page.line(value, middle, detailsTop + 37 + line * (size + 2), page.fit(value, { ...valueStyle, size }, inner, 6), 'center');
    });
    if (index > 0) doc.moveTo(columnLeft, detailsTop + 10).lineTo(columnLeft, detailsTop + 64).lineWidth(0.75).strokeColor(colors.rule).stroke();
    columnLeft += column.width;
  }
  page.rule(CONTENT_LEFT, CONTENT_LEFT + CONTENT_WIDTH, detailsTop + 74, colors.rule, 0.75);

  // Footer: signature (left), certificate number (centre), QR code (right).
  const signatureCentre = 178;
  page.rule(signatureCentre - 98, signatureCentre + 98, 520, colors.ink, 0.6);
  const trainer = clean(input.trainerName);
  const trainerStyle = page.fit(trainer, { font: BOLD, size: 11, color: colors.ink }, 210, 8);
  const trainerLines = page.width(trainer, trainerStyle) <= 210 ? [trainer] : page.block(trainer, trainerStyle, 210, 2, 7).lines;
  let trainerY = 526;
  for (const line of trainerLines) {
    page.line(line, signatureCentre, trainerY, trainerStyle, 'center');
    trainerY += trainerStyle.size * 1.2;
  }
  const trainerLabel = english ? `${text.trainer} · ${english.trainer}` : text.trainer;
  page.line(trainerLabel, signatureCentre, trainerY + 2, { font: REGULAR, size: 7.5, color: colors.muted }, 'center');

  const numberLabel = english ? `${text.number} · ${english.number}` : text.number;
  page.line(numberLabel, CENTER, 500, { font: REGULAR, size: 7.5, color: colors.muted }, 'center');
  page.line(input.number, CENTER, 512, { font: BOLD, size: 15, color: colors.primary, spacing: 1 }, 'center');

  const qrSize = 68;
  const qrRight = PAGE_WIDTH - 86;
  page.qr(input.verificationUrl, qrRight - qrSize, 472, qrSize, colors.ink);
  const verify = `${english ? `${text.verify} · ${english.verify}` : text.verify}: ${input.verificationUrl}`;
  page.line(verify, qrRight, 547, page.fit(verify, { font: REGULAR, size: 6.5, color: colors.muted }, 330, 4), 'right');

  doc.end();
  return done;
}
