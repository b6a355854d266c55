import * as z from '../schemas/zod';
import type { JournalComment, JournalEntry } from '../store/journal';
import type { Page } from '../store/paging';
import type { AuthorEntryView, SharedEntryView } from '../usecases/journal';
import { instant, language, named, page, reply, replyAs, type RouteResponses } from './reply';

const comment = named('JournalComment', z.object({
  commentId: z.string(),
  entryId: z.string(),
  trainingId: z.string(),
  authorSub: z.string(),
  authorName: z.string(),
  text: z.string(),
  createdAt: instant,
}));

const entryFields = {
  entryId: z.string(),
  authorSub: z.string(),
  authorEmail: z.string(),
  authorName: z.string(),
  title: z.string(),
  text: z.string(),
  language,
  trainingId: z.optional(z.string()),
  sessionId: z.optional(z.string()),
  prompt: z.optional(z.string()),
  createdAt: instant,
  updatedAt: instant,
  sharedAt: z.optional(instant),
  version: z.number(),
};
const entry = named('JournalEntry', z.object(entryFields));
const authorEntry = named('AuthorJournalEntry', z.object({ ...entryFields, visibleToTrainer: z.boolean(), comments: z.array(comment) }));

const sharedEntry = z.object({
  entryId: z.string(),
  authorName: z.string(),
  title: z.string(),
  text: z.string(),
  language,
  sessionId: z.optional(z.string()),
  prompt: z.optional(z.string()),
  createdAt: instant,
  updatedAt: instant,
  comments: z.array(comment),
});

const localizedPrompt = z.object({ kk: z.optional(z.string()), ru: z.optional(z.string()), en: z.optional(z.string()) });
const authorView = replyAs<AuthorEntryView>();

export const journalResponses = {
  listJournal: { success: { 200: replyAs<Page<JournalEntry>>()('A page of my entries, newest first.', page(entry)) }, errors: [] },
  createJournalEntry: { success: { 201: replyAs<JournalEntry>()('The new entry.', entry) }, errors: [404, 409] },
  getJournalEntry: { success: { 200: authorView('The entry with the trainer’s comments.', authorEntry) }, errors: [404] },
  updateJournalEntry: { success: { 200: authorView('The entry after the change.', authorEntry) }, errors: [404, 409] },
  deleteJournalEntry: { success: { 204: { description: 'The entry and its comments are gone.' } }, errors: [404] },
  shareJournalEntry: { success: { 200: authorView('The entry, shared or no longer shared.', authorEntry) }, errors: [404, 409] },
  shareJournalTraining: { success: { 200: reply('Every entry about the training is shared (or not).', z.object({ trainingId: z.string(), shared: z.boolean() })) }, errors: [404, 409] },
  exportJournal: { success: { 200: { description: 'The whole journal as Markdown or PDF (format=md|pdf).', files: ['text/markdown', 'application/pdf'] } }, errors: [] },
  journalPrompts: {
    success: { 200: reply('The prompts to write from: the interview questions and the training’s own.', z.object({ language, prompts: z.array(z.object({ source: z.enum(['interview', 'trainer']), id: z.string(), text: z.string() })) })) },
    errors: [404],
  },
  setJournalPrompts: { success: { 200: reply('The training’s prompts.', z.object({ trainingId: z.string(), prompts: z.array(localizedPrompt) })) }, errors: [404, 409] },
  trainerJournal: { success: { 200: replyAs<{ trainingId: string; items: SharedEntryView[] }>()('The entries participants share with me.', z.object({ trainingId: z.string(), items: z.array(sharedEntry) })) }, errors: [404] },
  commentJournalEntry: { success: { 201: replyAs<JournalComment>()('The comment; its author gets an email.', comment) }, errors: [404, 409] },
} satisfies Record<string, RouteResponses>;
