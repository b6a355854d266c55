import type { LocalizedText } from '../../shared/locale/language';
import { titleIn } from '../../shared/locale/title';
import { catalogues, translate, type Language, type MessageKey } from './i18n-core';

export { languages, isLanguage, pickLanguage, type Language, type MessageKey } from './i18n-core';

let current: Language = 'kk';

export function setLanguage(language: Language): void {
  current = language;
  document.documentElement.lang = language;
  try {
    localStorage.setItem('lang', language);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function language(): Language {
  return current;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(catalogues[current], key, params);
}

/** A training title in the reader's language, else in the platform's one fallback order (shared/locale/title). */
export function localized(text: LocalizedText | undefined): string {
  return text ? titleIn(text, current) : '';
}
