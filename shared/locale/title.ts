import type { Language, LocalizedText } from './language';

/**
 * After the reader's own language and the training's: English, Russian, Kazakh. The one order for
 * every place a title is shown (emails, the PDF, the Open Badge, exports, the web app), so a
 * training without a title in the reader's language shows the same stand-in everywhere.
 */
export const titleFallbackOrder: readonly Language[] = ['en', 'ru', 'kk'];

/** Which language a title is shown in for this reader (a blank title counts as none). */
export function titleLanguage(title: LocalizedText, reader: Language, trainingLanguage?: Language): Language | undefined {
  const order = [reader, ...(trainingLanguage ? [trainingLanguage] : []), ...titleFallbackOrder];
  return order.find((language) => Boolean(title[language]?.trim()));
}

/** The title a reader sees: in their language, else the training's own, else `titleFallbackOrder`; '' when there is none. */
export function titleIn(title: LocalizedText, reader: Language, trainingLanguage?: Language): string {
  const language = titleLanguage(title, reader, trainingLanguage);
  return language ? title[language]! : '';
}
