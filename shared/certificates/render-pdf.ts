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
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatNumber, intlLocales, type Language, type LocalizedText } from '../locale/language';
import { titleIn } from '../locale/title';
import { almatyDay, englishSubheading, formatDay, formatRange, labels, sessionRuns, type Labels } from './certificate-labels';
import { BOLD, fontsCanDraw, REGULAR, registerSharedFonts, sharedFonts } from './pdf-fonts';
import { CENTER, colors, CONTENT_LEFT, CONTENT_WIDTH, documentBytes, NO_STANDARD_FONT, Page, PAGE_HEIGHT, PAGE_WIDTH, type Style } from './pdf-layout';

export interface CertificatePdfInput {
  /** Full name exactly as it must appear (and be extractable) on the certificate. */
  holderName: string;
  /** The holder's language: labels and dates are in it, with an English line under them. */
  language: Language;
  /** The training's title; the holder's language is shown first, then English (if given). */
  trainingTitle: LocalizedText;
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

// Read and parse the fonts when the module loads, not in the first certificate's render.
sharedFonts();

/**
 * The QR code as one filled path in module units (scaled by a transform, so every coordinate
 * is a small integer): one rectangle per run of dark modules, runs repeated on the rows below
 * merged into one taller rectangle. One fill for the whole path, so no seams between rows.
 */
function drawQr(page: Page, text: string, x: number, y: number, size: number, color: string): void {
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
  page.fillColor(color); // outside save/restore, so the tracked colour stays true after it
  page.doc.save().transform(scale, 0, 0, scale, x, y);
  for (const [left, top, width, height] of rects) page.doc.rect(left, top, width, height);
  page.doc.fill().restore();
}

const NUMBER_PATTERN = /^DESTT-\d{4}-[A-Z]{3}-\d{6}$/;

/**
 * Text as printed: composed (NFC, so "й" typed as и + ◌̆ is one glyph), whitespace collapsed to
 * single spaces (a line break in a name must not break the layout).
 */
const clean = (text: string | undefined): string => (text ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

function primaryTitle(title: CertificatePdfInput['trainingTitle'], language: Language): string {
  const text = clean(titleIn(title, language));
  if (!text) throw new Error('Certificate needs a training title in at least one of kk, ru or en.');
  return text;
}

/** The holder's name and the training's title from `top`; returns the height used. */
function holderAndTraining(page: Page, input: CertificatePdfInput, holderName: string, language: Language, top: number): number {
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
    if (character !== ' ' && !fontsCanDraw(codePoint)) {
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
    font: NO_STANDARD_FONT,
    lang: intlLocales[language],
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
  const done = documentBytes(doc);

  registerSharedFonts(doc);
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
  const workload = input.ects === undefined ? text.hours(input.hours) : `${text.hours(input.hours)} · ${formatNumber(input.ects, language)} ECTS`;
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
  drawQr(page, input.verificationUrl, qrRight - qrSize, 472, qrSize, colors.ink);
  const verify = `${english ? `${text.verify} · ${english.verify}` : text.verify}: ${input.verificationUrl}`;
  page.line(verify, qrRight, 547, page.fit(verify, { font: REGULAR, size: 6.5, color: colors.muted }, 330, 4), 'right');

  doc.end();
  return done;
}
