/**
 * Builds the certificate fonts: DejaVu Sans (regular and bold) cut down to the letters a
 * certificate can need — Latin with Latin-1 and Latin Extended-A (Kazakh Latin, most European
 * names), the whole Cyrillic block (Russian and every Kazakh letter: ә ғ қ ң ө ұ ү һ і and their
 * capitals), digits and typographic punctuation — without hinting and without OpenType layout
 * tables (GSUB/GPOS: ligatures, kerning, mark positioning). Latin and Cyrillic need no shaping,
 * and a font without them lets render-pdf.ts lay text out as one glyph per character with its
 * advance width, instead of running fontkit's shaper (~0.2–0.4 ms per new string).
 *
 * The output is committed, so neither tests nor Lambda run this; run it again only to change the
 * character set: `npx tsx shared/certificates/fonts/build-subset.ts`.
 *
 * Why: the full DejaVuSans.ttf is 740 KB (~110 ms for pdfkit to parse on a 2-core machine). The
 * subsets are ~50 KB, read and parsed once per container by render-pdf.ts; each PDF still embeds
 * only the glyphs it uses (pdfkit subsets again per document).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import subsetFont from 'subset-font';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sourceDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

function range(from: number, to: number): string {
  let text = '';
  for (let codePoint = from; codePoint <= to; codePoint += 1) text += String.fromCodePoint(codePoint);
  return text;
}

/** Every character the subset keeps (the font drops what it has no glyph for). */
const certificateCharacters = [
  range(0x20, 0x7e), // Basic Latin: letters, digits, punctuation
  range(0xa0, 0xff), // Latin-1: no-break space, « », ©, accented letters (Ä Ö Ü Ç Ñ …)
  range(0x100, 0x17f), // Latin Extended-A: Kazakh Latin (Ğ Ī Ş Ū …) and European names
  range(0x400, 0x4ff), // Cyrillic: Russian, Kazakh (Ә Ғ Қ Ң Ө Ұ Ү Һ І), other Cyrillic names
  range(0x2010, 0x2027), // dashes, quotes, bullet, ellipsis
  range(0x2030, 0x203a), // per mille, primes, single guillemets
  '\u2116', // № numero sign
  '\u2009\u202f', // thin and narrow no-break spaces (Intl date output)
].join('');

const fonts = [
  { source: 'DejaVuSans.ttf', target: 'DejaVuSans-Certificate.ttf' },
  { source: 'DejaVuSans-Bold.ttf', target: 'DejaVuSans-Bold-Certificate.ttf' },
];

for (const { source, target } of fonts) {
  const original = await readFile(path.join(sourceDir, source));
  const subset = await subsetFont(original, certificateCharacters, {
    targetFormat: 'truetype',
    noHinting: true,
    keepFeatures: [],
    dropTables: ['GSUB', 'GPOS', 'GDEF', 'MATH', 'kern', 'morx', 'gasp'],
    // Copyright, names, version, and the licence description and URL (the licence asks that its
    // notice travel with every copy).
    preserveNameIds: [0, 1, 2, 3, 4, 5, 6, 13, 14],
  });
  await writeFile(path.join(here, target), subset);
  console.log(`${target}: ${(original.length / 1024).toFixed(0)} KB → ${(subset.length / 1024).toFixed(1)} KB`);
}
