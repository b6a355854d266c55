/**
 * Certificate PDF render benchmark: the module import (pdfkit, fontkit, qrcode; both fonts read
 * and parsed), the first render, then 500 warm renders in one process. Budget: warm median
 * ≤ 5 ms and ≤ 30 KB per PDF.
 *
 *   npx tsx bench/certificates-render.ts
 */
import type { CertificatePdfInput } from '../shared/certificates/render-pdf';

const WARM_RENDERS = 500;
const languages = ['kk', 'ru', 'en'] as const;

// A cohort: one training, a different holder on every certificate (names built from parts that
// recur the way first names and patronymics do), the Kazakh test name among them.
const firstNames = ['Әлия', 'Ғалым', 'Құралай', 'Өмірзақ', 'Ұлжан', 'Үміт', 'Іңкәр', 'Мария', 'Дмитрий', 'Нұрлан', 'Айгерім'];
const patronymics = ['Ғалымжанқызы', 'Серікұлы', 'Петровна', 'Бауыржанұлы', 'Қайратқызы', 'Ивановна', 'Маратұлы'];
const surnames = ['Құдайбергенова-Өңірбек', 'Жақыпов', 'Иванова', 'Сәрсенбаев', 'Үсенова', 'Һасанов', 'Оспанова', 'Ким', 'Төлеген'];
const holderName = (index: number) =>
  index === 0
    ? 'Әлия Ғалымжанқызы Құдайбергенова-Өңірбек Ұлықбек Үсен Һ Іңкәр'
    : `${firstNames[index % firstNames.length]} ${patronymics[Math.floor(index / 3) % patronymics.length]} ${surnames[Math.floor(index / 7) % surnames.length]}`;

function input(index: number): CertificatePdfInput {
  const number = `DESTT-2026-ALA-${String(index + 1).padStart(6, '0')}`;
  return {
    holderName: holderName(index),
    language: languages[index % languages.length] ?? 'kk',
    trainingTitle: {
      kk: 'Мұғалім — көшбасшы: сыныптағы зерттеу және формативті бағалау',
      ru: 'Учитель — лидер: исследование в классе и формативное оценивание',
      en: 'Teacher as Leader: classroom inquiry and formative assessment',
    },
    hours: 72,
    ects: 3,
    sessionDates: ['2026-03-02T04:00:00Z', '2026-03-03T04:00:00Z', '2026-03-04T04:00:00Z', '2026-03-10T04:00:00Z'],
    number,
    verificationUrl: `https://certificates.teachers-as-leaders.kz/verify/${number}`,
    trainerName: 'Ерлан Серікұлы Жақыпов',
    issuerName: '«Teachers as Leaders» national centre',
    issuedAt: '2026-03-12T09:00:00+05:00',
    validUntil: '2029-03-12T09:00:00+05:00',
    level: 1,
  };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const loadStart = performance.now();
const { renderCertificatePdf } = await import('../shared/certificates/render-pdf');
const loadMs = performance.now() - loadStart;

const firstStart = performance.now();
const firstPdf = await renderCertificatePdf(input(0));
const firstMs = performance.now() - firstStart;

const times: number[] = [];
const cpuTimes: number[] = [];
let totalBytes = 0;
let maxBytes = firstPdf.length;
for (let index = 1; index <= WARM_RENDERS; index += 1) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const pdf = await renderCertificatePdf(input(index));
  times.push(performance.now() - start);
  const cpu = process.cpuUsage(cpuStart);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  totalBytes += pdf.length;
  maxBytes = Math.max(maxBytes, pdf.length);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const percentileOf = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const percentile = (p: number) => percentileOf(times, p);
const mean = times.reduce((sum, time) => sum + time, 0) / times.length;

console.log(`certificate PDF render (node ${process.version}, ${WARM_RENDERS} warm renders, kk/ru/en in turn)`);
console.log(`  module import (libraries, fonts):   ${ms(loadMs)}`);
console.log(`  first render:                      ${ms(firstMs)}  (${kb(firstPdf.length)})`);
console.log(`  warm median:                       ${ms(percentile(50))}`);
console.log(`  warm p95:                          ${ms(percentile(95))}`);
console.log(`  warm mean:                         ${ms(mean)}`);
console.log(`  warm min / max:                    ${ms(times[0] ?? Number.NaN)} / ${ms(times.at(-1) ?? Number.NaN)}`);
console.log(`  warm CPU time median / p95:        ${ms(percentileOf(cpuTimes, 50))} / ${ms(percentileOf(cpuTimes, 95))}  (process CPU, less sensitive to a busy machine)`);
console.log(`  size mean / max:                   ${kb(totalBytes / WARM_RENDERS)} / ${kb(maxBytes)}`);

const budgetMs = 5;
const budgetBytes = 30 * 1024;
const ok = percentile(50) <= budgetMs && maxBytes <= budgetBytes;
// Informational, not an exit code: wall-clock times on a shared 2-core machine move with its load.
console.log(`  budget (median ≤ ${budgetMs} ms, ≤ 30 KB): ${ok ? 'met' : 'MISSED'}`);
