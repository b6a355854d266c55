/** The platform's languages: Kazakh (the state language, and the default), Russian, English. */
export const languages = ['kk', 'ru', 'en'] as const;
export type Language = (typeof languages)[number];

/** Text a person entered in some of the languages (a training's title, a prompt). */
export type LocalizedText = Partial<Record<Language, string>>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The Intl locale of each language: dates, numbers and plurals as people there write them. */
export const intlLocales: Record<Language, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/**
 * A whole number with English thousands separators ("20,000"), for error messages built when a
 * module loads: toLocaleString would create the process's first Intl formatter there, loading
 * locale data at every cold start of the functions that import the schema.
 */
export function englishCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number as written in the reader's language (hours, ECTS: "1,5" in kk and ru, "1.5" in en). */
export function formatNumber(value: number, language: Language, maximumFractionDigits = 2): string {
  const key = `${language}|${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocales[language], { maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format.format(value);
}
