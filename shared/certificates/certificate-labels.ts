/**
 * What a certificate says, in kk, ru and en, and its dates as read in Almaty (numeric in kk and
 * ru, "1–3 Dec 2026" in en).
 */
import { DAY_MS } from '../clock';
import { inAlmaty } from '../locale/almaty';
import { formatNumber, type Language } from '../locale/language';

export interface Labels {
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

const ruPlural = new Intl.PluralRules('ru-RU');
const enPlural = new Intl.PluralRules('en-GB');
const ruForms = (value: number, one: string, few: string, many: string): string => {
  const rule = ruPlural.select(value);
  return rule === 'one' ? one : rule === 'few' ? few : rule === 'many' ? many : few;
};

export const labels: Record<Language, Labels> = {
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
    hours: (hours) => `${formatNumber(hours, 'kk')} сағат`,
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
    hours: (hours) => `${formatNumber(hours, 'ru')} ${ruForms(hours, 'час', 'часа', 'часов')}`,
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
    hours: (hours) => `${formatNumber(hours, 'en')} ${enPlural.select(hours) === 'one' ? 'hour' : 'hours'}`,
    days: (days) => `${days} training ${days === 1 ? 'day' : 'days'}`,
  },
};

/** Under the heading: what kind of certificate, in English (for an English holder, the rest of it). */
export const englishSubheading = { other: 'Certificate of Professional Development', en: 'of Professional Development' };

/** Built on first use, not when the module loads (the first formatter loads the time-zone data). */
let almatyParts: Intl.DateTimeFormat | undefined;
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
  /** Days since the epoch, to find consecutive days. */
  ordinal: number;
}

/** Formatting to parts is the slow bit; a cohort's certificates share their dates. */
const almatyDays = new Map<string, CalendarDay>();

export function almatyDay(iso: string, field: string): CalendarDay {
  const known = almatyDays.get(iso);
  if (known) return known;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new Error(`Certificate ${field} is not an ISO-8601 date: ${iso}`);
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of (almatyParts ??= inAlmaty('en-US', { year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(instant)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  const calendarDay = { year, month, day, ordinal: Date.UTC(year, month - 1, day) / DAY_MS };
  if (almatyDays.size >= 4096) almatyDays.clear();
  almatyDays.set(iso, calendarDay);
  return calendarDay;
}

const pad = (value: number) => String(value).padStart(2, '0');

export function formatDay(day: CalendarDay, language: Language): string {
  return language === 'en'
    ? `${day.day} ${monthsEn[day.month - 1]} ${day.year}`
    : `${pad(day.day)}.${pad(day.month)}.${day.year}`;
}

export function formatRange(from: CalendarDay, to: CalendarDay, language: Language): string {
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
export function sessionRuns(sessionDates: string[]): CalendarDay[][] {
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
