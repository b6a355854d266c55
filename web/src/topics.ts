import { get } from './api';
import type { Language } from './i18n';
import type { ResponseBody } from '../../shared/api/client';

export type Topic = ResponseBody<'listTopics'>['items'][number];

let cached: Promise<Topic[]> | undefined;

/** The topic vocabulary changes when an admin adds or renames one: fetched once per page load. */
export function loadTopics(): Promise<Topic[]> {
  cached ??= get('listTopics', '/api/topics').then((body) => body.items, (error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export function topicName(topics: readonly Topic[] | undefined, id: string, language: Language): string {
  return topics?.find((topic) => topic.id === id)?.name[language] ?? id;
}
