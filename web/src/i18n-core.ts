import en from '../i18n/en.json';
import kk from '../i18n/kk.json';
import ru from '../i18n/ru.json';

import { isLanguage, languages, type Language } from '../../shared/locale/language';

export { isLanguage, languages, type Language };
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const catalogues: Record<Language, Catalogue> = { kk, ru, en };

/**
 * `?lang=` wins, then a choice remembered from an earlier visit, then the browser's list
 * (`kk-KZ` → kk), then Kazakh, the state language.
 */
export function pickLanguage(query: string, remembered: string | null, browser: readonly string[]): Language {
  const fromQuery = new URLSearchParams(query).get('lang');
  if (isLanguage(fromQuery)) return fromQuery;
  if (isLanguage(remembered)) return remembered;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'kk';
}

/** `{name}` placeholders filled from params; a missing one stays visible rather than vanishing. */
export function translate(catalogue: Catalogue, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
