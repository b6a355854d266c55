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

/** A training title in the reader's language, else in any language it has. */
export function localized(text: Partial<Record<Language, string>> | undefined): string {
  if (!text) return '';
  return text[current] ?? text.kk ?? text.ru ?? text.en ?? '';
}
