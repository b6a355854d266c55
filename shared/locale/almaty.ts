import { intlLocales, type Language } from './language';

/**
 * Every date the platform shows is read as people in Kazakhstan read it, whatever the zone of the
 * server or the device: Asia/Almaty (UTC+5 all year since 2024).
 */
export const ALMATY_TIME_ZONE = 'Asia/Almaty';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter in Almaty time, built once per locale and options (building one is the slow part). */
export function inAlmaty(locale: string, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: ALMATY_TIME_ZONE });
    formatters.set(key, format);
  }
  return format;
}

/**
 * An instant in the English messages of errors and conflicts: "1 Dec 2026, 09:45 Almaty time"
 * (`long`: "1 December 2026 at 09:45 Almaty time").
 */
export function almatyMessageTime(instant: string | number, dateStyle: 'medium' | 'long' = 'medium'): string {
  return `${inAlmaty('en-GB', { dateStyle, timeStyle: 'short' }).format(new Date(instant))} Almaty time`;
}

/** A date in the reader's language: "1 желтоқсан 2026 ж.", "1 декабря 2026 г.", "1 December 2026". */
export function almatyDate(instant: string, language: Language): string {
  return inAlmaty(intlLocales[language], { dateStyle: 'long' }).format(new Date(instant));
}

/** A date and time in the reader's language (emails). */
export function almatyDateTime(instant: string, language: Language): string {
  return inAlmaty(intlLocales[language], { dateStyle: 'long', timeStyle: 'short' }).format(new Date(instant));
}

/** The time of day in the reader's language. */
export function almatyTimeOfDay(instant: string, language: Language): string {
  return inAlmaty(intlLocales[language], { timeStyle: 'short' }).format(new Date(instant));
}

/** The calendar day in Almaty, `YYYY-MM-DD`. */
export function almatyDay(instant: string | number): string {
  return inAlmaty('en-CA', { dateStyle: 'short' }).format(new Date(instant));
}

/** The year in Almaty. */
export function almatyYear(instant: string | number): number {
  return Number(inAlmaty('en-GB', { year: 'numeric' }).format(new Date(instant)));
}
