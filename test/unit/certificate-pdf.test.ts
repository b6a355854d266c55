/**
 * The certificate PDF, checked the way a reader's tools see it: qpdf for structure, pdffonts for
 * embedded subset fonts, pdftotext for the exact text (and where each word sits on the page),
 * pdfinfo for the page. Nothing is skipped: without poppler-utils and qpdf these tests fail and
 * say how to install them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderCertificatePdf, unsupportedCertificateCharacters, type CertificatePdfInput } from '../../shared/certificates/render-pdf';
import { copyCertificateFonts, functionBuildOptions } from '../../infra/constructs/function-bundle';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kazakhName = 'Әлия Ғалымжанқызы Құдайбергенова-Өңірбек Ұлықбек Үсен Һ Іңкәр';
const A4_LANDSCAPE = { width: 841.89, height: 595.28 };
/** The inner frame line; every word must sit inside it. */
const FRAME = 26;

const base: CertificatePdfInput = {
  holderName: kazakhName,
  language: 'kk',
  trainingTitle: {
    kk: 'Мұғалім — көшбасшы: сыныптағы зерттеу және бағалау',
    ru: 'Учитель — лидер: исследование в классе и оценивание',
    en: 'Teacher as Leader: classroom inquiry and assessment',
  },
  hours: 72,
  ects: 3,
  // 02, 03, 04 and 10 March in Almaty; the last one is 20:30 UTC on the 9th.
  sessionDates: ['2026-03-03T04:00:00Z', '2026-03-02T04:00:00Z', '2026-03-04T04:00:00Z', '2026-03-09T20:30:00Z'],
  number: 'DESTT-2026-ALA-000123',
  verificationUrl: 'https://certificates.teachers-as-leaders.kz/verify/DESTT-2026-ALA-000123',
  trainerName: 'Ерлан Серікұлы Жақыпов',
  issuerName: '«Teachers as Leaders» national centre',
  issuedAt: '2026-03-12T09:00:00+05:00',
  validUntil: '2029-03-11T23:30:00Z', // 12 March 2029 in Almaty
  level: 1,
};

// ---------------------------------------------------------------------------------------------
// The command-line tools

const install = 'install them with `apt-get update && apt-get install -y poppler-utils qpdf`';

function run(tool: string, args: string[]): { stdout: string; status: number } {
  try {
    return { stdout: execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), status: 0 };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { status?: number | null; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(`${tool} is not installed: the certificate PDF checks need poppler-utils and qpdf; ${install}`, {
        cause: error,
      });
    }
    if (typeof failure.status === 'number') return { stdout: `${failure.stdout ?? ''}${failure.stderr ?? ''}`, status: failure.status };
    throw error;
  }
}

let dir: string;
let counter = 0;

async function renderToFile(overrides: Partial<CertificatePdfInput> = {}): Promise<{ file: string; pdf: Buffer }> {
  const pdf = await renderCertificatePdf({ ...base, ...overrides });
  counter += 1;
  const file = path.join(dir, `certificate-${counter}.pdf`);
  writeFileSync(file, pdf);
  return { file, pdf };
}

const text = (file: string) => run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout;
const lines = (file: string) => text(file).split('\n').map((line) => line.trim()).filter(Boolean);

interface Box {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

function words(file: string): Box[] {
  const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']).stdout;
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((match) => ({
    xMin: Number(match[1]),
    yMin: Number(match[2]),
    xMax: Number(match[3]),
    yMax: Number(match[4]),
    text: match[5] ?? '',
  }));
}

const overlap = (a: Box, b: Box) => Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin) > 0.5 && Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin) > 0.5;

/** The QR code as drawn: the module grid read back from the page's content stream. */
function drawnQr(file: string): { modules: boolean[][]; box: Box } {
  const plain = path.join(dir, `plain-${path.basename(file)}`);
  const status = run('qpdf', ['--qdf', '--object-streams=disable', file, plain]).status;
  expect(status).toBe(0);
  const content = readFileSync(plain, 'latin1');
  // The QR code is drawn in module units: "s 0 0 s x y cm", then "col row w h re" rectangles, "f".
  const block = /\n([\d.]+) 0 0 \1 ([\d.]+) ([\d.]+) cm\n((?:\d+ \d+ \d+ \d+ re\n)+)(?:[^\n]*\n){0,2}?f\n/.exec(content);
  if (!block) throw new Error('no QR code (module-unit rectangles) found in the content stream');
  const [, scale, x, y, rectangles] = block;
  const rects = [...(rectangles ?? '').matchAll(/(\d+) (\d+) (\d+) (\d+) re/g)].map((m) => m.slice(1, 5).map(Number));
  const size = Math.max(...rects.map(([col = 0, , width = 0]) => col + width));
  const modules = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const [col = 0, row = 0, width = 0, height = 0] of rects) {
    for (let r = row; r < row + height; r += 1) for (let c = col; c < col + width; c += 1) (modules[r] ?? [])[c] = true;
  }
  const left = Number(x);
  const top = Number(y);
  const side = size * Number(scale);
  return { modules, box: { text: 'QR', xMin: left, yMin: top, xMax: left + side, yMax: top + side } };
}

/** Rasterises the QR code's area (with its quiet zone) and decodes it, as a phone would. */
function scanQr(file: string, dpi: number): string | undefined {
  const { box } = drawnQr(file);
  const pixelsPerPoint = dpi / 72;
  const margin = 16;
  const out = path.join(dir, `scan-${dpi}-${path.basename(file, '.pdf')}`);
  const crop = [box.xMin - margin, box.yMin - margin, box.xMax - box.xMin + 2 * margin].map((value) => String(Math.round(value * pixelsPerPoint)));
  const [x = '0', y = '0', side = '0'] = crop;
  run('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', '-x', x, '-y', y, '-W', side, '-H', side, file, out]);
  // PGM: "P5\n<width> <height>\n255\n" then one byte per pixel.
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = pgm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < width * height; index += 1) {
    const value = pixels[index] ?? 255;
    rgba.set([value, value, value, 255], index * 4);
  }
  return jsQR(rgba, width, height)?.data;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'certificate-pdf-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

describe('renderCertificatePdf', () => {
  it('passes qpdf --check and is one A4 landscape page under 30 KB', async () => {
    const { file, pdf } = await renderToFile();
    const check = run('qpdf', ['--check', file]);
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
    expect(check.stdout).not.toMatch(/WARNING/i);
    expect(check.status).toBe(0);

    const info = run('pdfinfo', [file]).stdout;
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(new RegExp(`^Page size:\\s+${A4_LANDSCAPE.width} x ${A4_LANDSCAPE.height} pts \\(A4\\)`, 'm'));
    expect(pdf.length).toBeLessThanOrEqual(30 * 1024);
  });

  it('embeds only subset DejaVu fonts with Unicode maps, never a standard font', async () => {
    const { file } = await renderToFile();
    const [, , ...rows] = run('pdffonts', [file]).stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    for (const row of rows) {
      // name, type (two words), encoding, emb, sub, uni, object, generation
      const columns = row.trim().split(/\s+/);
      expect(columns[0]).toMatch(/^[A-Z]{6}\+DejaVuSans/);
      expect(columns.slice(-5, -2)).toEqual(['yes', 'yes', 'yes']);
    }
    expect(rows.join('\n')).not.toMatch(/Helvetica|Times|Courier/);
  });

  it('gives back the exact Kazakh holder name, number and training through pdftotext', async () => {
    const { file } = await renderToFile();
    const extracted = lines(file);
    expect(extracted).toContain(kazakhName);
    expect(extracted).toContain(base.number);
    expect(extracted).toContain('«Мұғалім — көшбасшы: сыныптағы зерттеу және бағалау»');
    expect(extracted).toContain('Teacher as Leader: classroom inquiry and assessment');
    expect(extracted).toContain('«TEACHERS AS LEADERS» NATIONAL CENTRE');
    expect(extracted).toContain('Ерлан Серікұлы Жақыпов');
    const all = extracted.join('\n');
    expect(all).toContain('72 сағат · 3 ECTS');
    expect(all).toContain('Осы сертификат табыс етіледі');
    expect(all).toContain('This certificate is awarded to');
    expect(all).toContain('Каскад деңгейі'.toUpperCase());
    expect(all).toContain('Cascade level');
  });

  it('gives back every Kazakh and Russian letter, capital and small', async () => {
    const capitals = 'АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ';
    for (const holderName of [capitals, capitals.toLowerCase(), 'Ünal Şahin-Ğürsel Ñúñez Øster Ævar']) {
      expect(lines((await renderToFile({ holderName })).file)).toContain(holderName);
    }
  });

  it('keeps letters extractable across documents that share the parsed font', async () => {
    // A fresh module: its font has made no glyph yet. The first document embeds ы, whose glyph
    // is built from the glyph of ь; the second one types ь itself.
    vi.resetModules();
    const fresh = await import('../../shared/certificates/render-pdf');
    await fresh.renderCertificatePdf({ ...base, holderName: 'Ыбырай Алтынсарин', trainerName: 'Абай Құнанбайұлы' });
    const second = await fresh.renderCertificatePdf({ ...base, language: 'ru', holderName: 'Учитель Мальцевъ' });
    const file = path.join(dir, 'second.pdf');
    writeFileSync(file, second);
    expect(lines(file)).toContain('Учитель Мальцевъ');
  });

  it('shows session, issue and expiry dates as calendar days in Asia/Almaty', async () => {
    const { file } = await renderToFile();
    const all = text(file);
    expect(all).toContain('02–04.03.2026, 10.03.2026');
    expect(all).toContain('12.03.2026');
    expect(all).toContain('12.03.2029');

    const english = await renderToFile({ language: 'en', holderName: 'John Smith' });
    const englishText = text(english.file);
    expect(englishText).toContain('2–4 Mar 2026, 10 Mar 2026');
    expect(englishText).toContain('12 Mar 2029');
  });

  it('writes labels in the holder’s language with an English line', async () => {
    const russian = text((await renderToFile({ language: 'ru', holderName: 'Иванова Мария Петровна', hours: 2, ects: undefined })).file);
    expect(russian).toContain('Настоящий сертификат выдан');
    expect(russian).toContain('This certificate is awarded to');
    expect(russian).toContain('«Учитель — лидер: исследование в классе и оценивание»');
    expect(russian).toContain('Teacher as Leader: classroom inquiry and assessment');
    expect(russian).toContain('2 часа');
    expect(russian).toContain('Иванова Мария Петровна');

    const english = text((await renderToFile({ language: 'en', holderName: 'John Smith', hours: 1 })).file);
    expect(english).toContain('CERTIFICATE');
    expect(english).toContain('«Teacher as Leader: classroom inquiry and assessment»');
    expect(english).toContain('1 hour · 3 ECTS');
    expect(english).not.toMatch(/Осы сертификат|Настоящий|Сертификат нөмірі/);

    // No title in the holder's language: another one stands in.
    const fallback = text((await renderToFile({ language: 'kk', trainingTitle: { ru: 'Только по-русски' } })).file);
    expect(fallback).toContain('«Только по-русски»');
  });

  it('keeps every word inside the frame and off every other word and the QR code, even with long texts', { timeout: 30_000 }, async () => {
    const variants: Partial<CertificatePdfInput>[] = [
      {},
      { language: 'ru', holderName: 'Иванова Мария Петровна', level: 0 },
      { language: 'en', holderName: 'John Smith', hours: 1 },
      {
        holderName: 'Әлия-Гүлнұр Ғалымжанқызы Құдайбергенова-Өңірбекова Ұлықбекқызы Үсенова Һ Іңкәр-Шолпан Нұрсұлтанқызы',
        trainingTitle: {
          kk: 'Педагогтердің кәсіби құзыреттілігін арттыру: зерттеу сабағы, коучинг, менторинг және көшбасшылық — өңірлік каскадтық оқыту бағдарламасы (бірінші кезең), '.repeat(3).slice(0, 300),
          en: 'Raising teachers’ professional competence: lesson study, coaching, mentoring and leadership — a regional cascade programme for schools, '.repeat(3).slice(0, 300),
        },
        hours: 1234.5,
        ects: 60,
        sessionDates: Array.from({ length: 200 }, (_, day) => new Date(Date.UTC(2026, 0, 5 + day * 2, 4)).toISOString()),
        trainerName: 'Александра-Виктория Константиновна Преображенская-Белозерская',
        issuerName: '«Teachers as Leaders» national centre for teacher professional development, Astana',
        verificationUrl: `https://certificates.teachers-as-leaders.kz/verify/${'x'.repeat(120)}`,
      },
    ];
    for (const variant of variants) {
      const { file, pdf } = await renderToFile(variant);
      expect(pdf.length).toBeLessThanOrEqual(30 * 1024);
      const boxes = words(file);
      expect(boxes.length).toBeGreaterThan(40);
      const { box: qr } = drawnQr(file);
      for (const [index, word] of boxes.entries()) {
        expect(word.xMin, word.text).toBeGreaterThanOrEqual(FRAME);
        expect(word.yMin, word.text).toBeGreaterThanOrEqual(FRAME);
        expect(word.xMax, word.text).toBeLessThanOrEqual(A4_LANDSCAPE.width - FRAME);
        expect(word.yMax, word.text).toBeLessThanOrEqual(A4_LANDSCAPE.height - FRAME);
        expect(overlap(word, qr), `${word.text} overlaps the QR code`).toBe(false);
        for (const other of boxes.slice(index + 1)) {
          expect(overlap(word, other), `"${word.text}" overlaps "${other.text}"`).toBe(false);
        }
      }
    }
  });

  it('draws the QR code of the verification URL as vector modules that scan, with no image', async () => {
    const { file } = await renderToFile();
    const expected = QRCode.create([{ data: Buffer.from(base.verificationUrl, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules;
    const { modules } = drawnQr(file);
    expect(modules.length).toBe(expected.size);
    for (let row = 0; row < expected.size; row += 1) {
      for (let col = 0; col < expected.size; col += 1) {
        expect(modules[row]?.[col], `module ${row},${col}`).toBe(expected.get(row, col) === 1);
      }
    }
    expect(run('pdfimages', ['-list', file]).stdout.trim().split('\n')).toHaveLength(2); // header lines only
    // And it scans: on screen (72 dpi) and printed (150 dpi).
    expect(scanQr(file, 72)).toBe(base.verificationUrl);
    expect(scanQr(file, 150)).toBe(base.verificationUrl);
  });

  it('tells which characters the fonts cannot print', () => {
    expect(unsupportedCertificateCharacters(kazakhName)).toEqual([]);
    expect(unsupportedCertificateCharacters('Ünal Şahin — «Ñúñez» № 5, 12.03.2026 – 2029')).toEqual([]);
    expect(unsupportedCertificateCharacters('Ли Вэй 李伟 🙂')).toEqual(['李', '伟', '🙂']);
  });

  it('rejects a certificate number outside DESTT-{year}-{region}-{6 digits}', async () => {
    await expect(renderCertificatePdf({ ...base, number: 'DESTT-2026-ALA-123' })).rejects.toThrow(/DESTT-\{year\}/);
    await expect(renderCertificatePdf({ ...base, sessionDates: [] })).rejects.toThrow(/session date/);
    await expect(renderCertificatePdf({ ...base, issuedAt: 'yesterday' })).rejects.toThrow(/issuedAt/);
  });

  it('renders from a bundle built like the Lambda one (a lazy chunk, fonts beside it, no node_modules, no standard fonts)', { timeout: 30_000 }, async () => {
    const bundleDir = path.join(dir, 'bundle');
    const entry = path.join(dir, 'bundle-entry.ts');
    // Imported lazily, as the functions do: the renderer and pdfkit land in chunks, which need
    // their own require() (CommonJS inside pdfkit) and find the fonts beside them.
    writeFileSync(
      entry,
      [
        `const { renderCertificatePdf } = await import(${JSON.stringify(path.join(repoRoot, 'shared/certificates/render-pdf.ts'))});`,
        `const pdf = await renderCertificatePdf(${JSON.stringify(base)});`,
        `process.stdout.write(pdf.toString('base64'));`,
      ].join('\n'),
    );
    await build(functionBuildOptions(repoRoot, entry, bundleDir));
    copyCertificateFonts(repoRoot, bundleDir);
    const output = execFileSync(process.execPath, [path.join(bundleDir, 'index.mjs')], { cwd: bundleDir, encoding: 'utf8' });
    const file = path.join(dir, 'from-bundle.pdf');
    writeFileSync(file, Buffer.from(output, 'base64'));
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    expect(lines(file)).toContain(kazakhName);
  });
});
