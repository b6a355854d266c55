import { ALMATY_TIME_ZONE, inAlmaty } from '../../shared/locale/almaty';
import { intlLocales as locales, type Language } from '../../shared/locale/language';

/** Every date is shown as people in Kazakhstan read it, whatever the device's own zone. */
export const TIME_ZONE = ALMATY_TIME_ZONE;

/**
 * Some browsers ship ICU without Kazakh (Chromium's reduced data prints "2026 M11 25"); there a
 * Kazakh reader gets numeric dates (25.11.2026), which read the same in every language.
 */
function dateOptions(language: Language): Intl.DateTimeFormatOptions {
  return hasMonthNames(language) ? { dateStyle: 'medium' } : { day: '2-digit', month: '2-digit', year: 'numeric' };
}

const monthNames = new Map<Language, boolean>();

/**
 * supportedLocalesOf says yes even where only a root fallback exists; a Kazakh or Russian month
 * name is written in Cyrillic, so a Latin-only answer means the data is missing.
 */
function hasMonthNames(language: Language): boolean {
  let known = monthNames.get(language);
  if (known === undefined) {
    const month = new Intl.DateTimeFormat(locales[language], { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 10, 15));
    known = language === 'en' || /[\u0400-\u04FF]/.test(month);
    monthNames.set(language, known);
  }
  return known;
}

export function formatDateTime(iso: string, language: Language): string {
  const options = dateOptions(language);
  const time: Intl.DateTimeFormatOptions = 'dateStyle' in options ? { timeStyle: 'short' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return inAlmaty(locales[language], { ...options, ...time }).format(new Date(iso));
}

export function formatDate(iso: string, language: Language): string {
  return inAlmaty(locales[language], dateOptions(language)).format(new Date(iso));
}

export function formatTime(iso: string, language: Language): string {
  return inAlmaty(locales[language], { timeStyle: 'short' }).format(new Date(iso));
}

export function formatNumber(value: number, language: Language, fractionDigits = 0): string {
  return new Intl.NumberFormat(locales[language], { maximumFractionDigits: fractionDigits }).format(value);
}

export function formatPercent(value: number | null, language: Language): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(locales[language], { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

/**
 * A `datetime-local` value (wall-clock time in Almaty, UTC+5 all year since 2024) as an instant
 * with its offset, the way the API wants it.
 */
export function almatyLocalToIso(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+05:00`;
}

/** The inverse: an instant as the `datetime-local` value an Almaty user would type. */
export function isoToAlmatyLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + 5 * 3_600_000).toISOString().slice(0, 16);
}

/** `YYYY-MM-DD` of a date picker as the start of that day in Almaty. */
export function almatyDayStart(day: string): string {
  return `${day}T00:00:00+05:00`;
}

export function almatyDayEnd(day: string): string {
  return `${day}T23:59:59+05:00`;
}
