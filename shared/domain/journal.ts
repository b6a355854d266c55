/**
 * Journal rules, no I/O: who reads an entry, the prompts in the reader's language, and the
 * Markdown export.
 */
import { formIn } from '../config/feedback-form';
import type { Language } from '../locale/language';
import type { LocalizedPrompt } from '../schemas/journal';
import { almatyDate } from '../locale/almaty';

/** What visibility needs to know of an entry. */
export interface EntryVisibility {
  trainingId?: string;
  sharedAt?: string;
}

/**
 * A training's trainer reads an entry only while it is about that training and its author shares
 * it, one by one or with every entry about the training. Nobody else but the author reads it.
 */
export function trainerMayRead(entry: EntryVisibility, trainingId: string, authorSharesTraining: boolean): boolean {
  return entry.trainingId === trainingId && (entry.sharedAt !== undefined || authorSharesTraining);
}

export interface Prompt {
  source: 'interview' | 'trainer';
  id: string;
  text: string;
}

/** A trainer's prompt in the reader's language, else in the others rather than nothing. */
export function promptIn(prompt: LocalizedPrompt, language: Language): string {
  return prompt[language] ?? prompt.en ?? prompt.ru ?? prompt.kk ?? '';
}

/** The six post-training interview questions, then the training's own prompts, in one language. */
export function promptsIn(language: Language, trainerPrompts: readonly LocalizedPrompt[]): Prompt[] {
  return [
    ...formIn(language).questions.map((question) => ({ source: 'interview' as const, id: question.id, text: question.text })),
    ...trainerPrompts.map((prompt, index) => ({ source: 'trainer' as const, id: `trainer-${index + 1}`, text: promptIn(prompt, language) })),
  ];
}

export const exportLabels: Record<Language, { heading: string; written: string; prompt: string; training: string; empty: string }> = {
  kk: { heading: 'Рефлексиялық оқу күнделігі', written: 'Жазылған күні', prompt: 'Сұрақ', training: 'Оқыту', empty: 'Күнделікте әзірге жазба жоқ.' },
  ru: { heading: 'Рефлексивный дневник обучения', written: 'Дата записи', prompt: 'Вопрос', training: 'Обучение', empty: 'В дневнике пока нет записей.' },
  en: { heading: 'Reflective learning journal', written: 'Written', prompt: 'Prompt', training: 'Training', empty: 'The journal has no entries yet.' },
};

/** The day an entry was written, in the reader's language. */
export const formatDay = almatyDate;

export interface ExportEntry {
  title: string;
  text: string;
  createdAt: string;
  prompt?: string;
  trainingTitle?: string;
}

/** Markdown that reads as the author wrote it: their text is quoted as is, never as structure. */
function escapeInline(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

export function journalMarkdown(authorName: string, entries: readonly ExportEntry[], language: Language): string {
  const labels = exportLabels[language];
  const lines = [`# ${labels.heading}: ${escapeInline(authorName)}`, ''];
  if (entries.length === 0) lines.push(labels.empty, '');
  for (const entry of entries) {
    lines.push(`## ${escapeInline(entry.title)}`, '');
    lines.push(`*${labels.written}: ${formatDay(entry.createdAt, language)}*`);
    if (entry.trainingTitle) lines.push(`*${labels.training}: ${escapeInline(entry.trainingTitle)}*`);
    if (entry.prompt) lines.push(`*${labels.prompt}: ${escapeInline(entry.prompt)}*`);
    lines.push('');
    // Each line of the text as a paragraph line; a leading '#', '>' or '-' stays text.
    for (const line of entry.text.split(/\r?\n/)) lines.push(line.replace(/^(\s*)([#>*+-]|\d+\.)/, '$1\\$2'));
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
