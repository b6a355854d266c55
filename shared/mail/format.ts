import type { Language } from '../config/regions';
import { DISPLAY_TIME_ZONE } from '../domain/training';
import type { Training } from '../schemas/training';
import { optionalEnv } from '../env';

const locales: Record<Language, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** The title in the reader's language, falling back to the others rather than to nothing. */
export function titleIn(training: Pick<Training, 'title'>, language: Language): string {
  const { title } = training;
  return title[language] ?? title.en ?? title.ru ?? title.kk ?? '';
}

/** Dates are shown in Asia/Almaty whatever the server's zone. */
export function formatInstant(instant: string, language: Language): string {
  return new Intl.DateTimeFormat(locales[language], {
    timeZone: DISPLAY_TIME_ZONE,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(instant));
}

export function publicUrl(path: string): string {
  const base = optionalEnv('PUBLIC_BASE_URL') ?? 'http://localhost:3000';
  return `${base.replace(/\/$/, '')}${path}`;
}
