import type { Language, LocalizedText } from './language';

/**
 * After the reader's own language: English, Russian, Kazakh. The one order for every place a
 * title is shown (emails, the PDF, the Open Badge, exports, the web app), so a training without a
 * title in the reader's language shows the same stand-in everywhere. (The emails' and badges'
 * tests name this order: a Russian reader of a kk/en title reads the English one.)
 */
export const titleFallbackOrder: readonly Language[] = ['en', 'ru', 'kk'];

/** Which language a title is shown in for this reader (a blank title counts as none). */
export function titleLanguage(title: LocalizedText, reader: Language): Language | undefined {
  return [reader, ...titleFallbackOrder].find((language) => Boolean(title[language]?.trim()));
}

/** The title a reader sees: in their language, else in `titleFallbackOrder`; '' when there is none. */
export function titleIn(title: LocalizedText, reader: Language): string {
  const language = titleLanguage(title, reader);
  return language ? title[language]! : '';
}
