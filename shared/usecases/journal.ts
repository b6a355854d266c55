/**
 * The reflective learning journal: an author's private entries, shared on purpose with one
 * training's trainer, who may comment. Every read other than the author's goes through
 * `trainerMayRead`; anyone else (admins and coordinators included) gets 404 or 403, never text.
 */
import { titleIn } from '../locale/title';
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import type { Language } from '../locale/language';
import { monthOf } from '../domain/aggregates';
import { journalMarkdown, promptsIn, trainerMayRead, type ExportEntry, type Prompt } from '../domain/journal';
import { canEdit } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import { journalCommentEmail } from '../mail/journal-emails';

import { sendEmailOnce } from '../mail/send-once';
import type { CreateJournalEntryInput, LocalizedPrompt, UpdateJournalEntryInput } from '../schemas/journal';
import type { Training } from '../schemas/training';
import {
  allEntriesOfAuthor,
  commentsOf,
  deleteEntryAndComments,
  findEntry,
  isTrainingShared,
  listEntriesOfAuthor,
  putComment,
  putNewEntry,
  saveEntry,
  saveTrainerPrompts,
  sharedWithTraining,
  shareTraining,
  trainerPrompts,
  unshareTraining,
  type JournalComment,
  type JournalEntry,
} from '../store/journal';
import { findRegistration } from '../store/registrations';
import type { Page } from '../store/paging';
import { findTraining as findStoredTraining } from '../store/trainings';

const findTraining = async (id: string): Promise<Training | undefined> => (await findStoredTraining(id))?.training;

const emailOf = (principal: Principal) => principal.email.toLowerCase();

function entryNotFound(): NotFoundError {
  return new NotFoundError('No such journal entry in your journal. Open your journal and choose an entry from the list.');
}

/** The author's own entry, or 404 (another person's entry is not acknowledged to exist). */
async function ownEntry(principal: Principal, entryId: string): Promise<JournalEntry> {
  const entry = await findEntry(entryId);
  if (!entry || entry.authorSub !== principal.sub) throw entryNotFound();
  return entry;
}

async function existingTraining(trainingId: string): Promise<Training> {
  const training = await findTraining(trainingId);
  if (!training || training.status === 'draft') {
    throw new NotFoundError('No such training. Link the entry to one of the trainings in “My trainings”.');
  }
  return training;
}

/** A link to a training (and one of its sessions) must name real ones. */
async function assertLinks(trainingId: string | undefined, sessionId: string | undefined): Promise<Training | undefined> {
  if (!trainingId) return undefined;
  const training = await existingTraining(trainingId);
  if (sessionId && !training.sessions.some((session) => session.id === sessionId)) {
    throw new ValidationError('That session is not part of the training. Choose one of its sessions or none.', {
      sessionId: ['is not a session of this training'],
    });
  }
  return training;
}

/** Only a confirmed participant shares with the training's trainer. */
async function assertParticipant(principal: Principal, trainingId: string): Promise<Training> {
  const training = await existingTraining(trainingId);
  const registration = await findRegistration(trainingId, emailOf(principal));
  if (!registration || registration.status !== 'confirmed') {
    throw new ForbiddenError('You can share journal entries only with the trainer of a training you took part in. Choose one of your trainings.');
  }
  return training;
}

export async function createJournalEntry(principal: Principal, input: CreateJournalEntryInput): Promise<JournalEntry> {
  const training = await assertLinks(input.trainingId, input.sessionId);
  const now = clock.now().toISOString();
  const entry: JournalEntry = {
    entryId: newId(),
    authorSub: principal.sub,
    authorEmail: emailOf(principal),
    authorName: principal.name,
    title: input.title,
    text: input.text,
    language: input.language,
    ...(input.trainingId ? { trainingId: input.trainingId } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.prompt ? { prompt: input.prompt } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  // Coordinators count the journals of the region's participants, so an entry is counted only
  // when its author took part in the training it is about.
  const participant = training ? (await findRegistration(training.id, emailOf(principal)))?.status === 'confirmed' : false;
  await putNewEntry(entry, training && participant ? { region: training.region, month: monthOf(now) } : undefined);
  return entry;
}

export interface AuthorEntryView extends JournalEntry {
  /** Whether the training's trainer can read it now (shared one by one, or with the training). */
  visibleToTrainer: boolean;
  comments: JournalComment[];
}

async function authorView(entry: JournalEntry): Promise<AuthorEntryView> {
  const [shared, comments] = await Promise.all([
    entry.trainingId ? isTrainingShared(entry.authorSub, entry.trainingId) : Promise.resolve(false),
    commentsOf(entry.entryId),
  ]);
  return { ...entry, visibleToTrainer: entry.trainingId ? trainerMayRead(entry, entry.trainingId, shared) : false, comments };
}

export async function getJournalEntry(principal: Principal, entryId: string): Promise<AuthorEntryView> {
  return authorView(await ownEntry(principal, entryId));
}

export function listJournalEntries(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<JournalEntry>> {
  return listEntriesOfAuthor(principal.sub, page);
}

async function saveOrConflict(next: JournalEntry, expected: number): Promise<AuthorEntryView> {
  if (!(await saveEntry(next, expected))) {
    throw new ConflictError('The entry was changed in another window meanwhile. Reload it, then make your change again.', 'concurrent_update');
  }
  return authorView(next);
}

export async function updateJournalEntry(principal: Principal, entryId: string, patch: UpdateJournalEntryInput): Promise<AuthorEntryView> {
  const entry = await ownEntry(principal, entryId);
  const trainingId = patch.trainingId === null ? undefined : (patch.trainingId ?? entry.trainingId);
  const sessionId = patch.sessionId === null || patch.trainingId === null ? undefined : (patch.sessionId ?? entry.sessionId);
  if (sessionId && !trainingId) {
    throw new ValidationError('A session link needs the training as well. Link the training, or clear the session.', { sessionId: ['needs trainingId as well'] });
  }
  if (patch.trainingId !== undefined || patch.sessionId !== undefined) await assertLinks(trainingId, sessionId);
  const next: JournalEntry = {
    ...entry,
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.text !== undefined ? { text: patch.text } : {}),
    ...(patch.language !== undefined ? { language: patch.language } : {}),
    updatedAt: clock.now().toISOString(),
    version: entry.version + 1,
  };
  if (trainingId) next.trainingId = trainingId;
  else delete next.trainingId;
  if (sessionId) next.sessionId = sessionId;
  else delete next.sessionId;
  if (patch.prompt === null) delete next.prompt;
  else if (patch.prompt !== undefined) next.prompt = patch.prompt;
  // Sharing was with the trainer of the training it was about; moving it elsewhere withdraws it.
  if (trainingId !== entry.trainingId) delete next.sharedAt;
  return saveOrConflict(next, entry.version);
}

export async function deleteJournalEntry(principal: Principal, entryId: string): Promise<void> {
  const entry = await ownEntry(principal, entryId);
  await deleteEntryAndComments(entry.entryId);
}

export async function shareJournalEntry(principal: Principal, entryId: string, shared: boolean): Promise<AuthorEntryView> {
  const entry = await ownEntry(principal, entryId);
  if (!entry.trainingId) {
    throw new ValidationError('Only an entry about a training can be shared with its trainer. Link the entry to a training first.', {
      trainingId: ['is required to share an entry'],
    });
  }
  if (shared) await assertParticipant(principal, entry.trainingId);
  const next: JournalEntry = { ...entry, version: entry.version + 1 };
  if (shared) next.sharedAt = entry.sharedAt ?? clock.now().toISOString();
  else delete next.sharedAt;
  return saveOrConflict(next, entry.version);
}

/** Shares every entry about the training, those written later too; `false` withdraws that. */
export async function shareJournalTraining(principal: Principal, trainingId: string, shared: boolean): Promise<{ trainingId: string; shared: boolean }> {
  if (shared) {
    await assertParticipant(principal, trainingId);
    await shareTraining(principal.sub, trainingId, clock.now().toISOString());
  } else {
    await unshareTraining(principal.sub, trainingId);
  }
  return { trainingId, shared };
}

/** The training's own trainer, and nobody else: admins and coordinators do not read journals. */
async function assertTrainerOf(principal: Principal, trainingId: string): Promise<Training> {
  const training = await findTraining(trainingId);
  if (!training) throw new NotFoundError('No such training. Choose one of your trainings.');
  if (training.trainer.sub !== principal.sub) {
    throw new ForbiddenError('Only the training\'s trainer reads the journal entries its participants share. Nobody else can.');
  }
  return training;
}

export interface SharedEntryView {
  entryId: string;
  authorName: string;
  title: string;
  text: string;
  language: Language;
  sessionId?: string;
  prompt?: string;
  createdAt: string;
  updatedAt: string;
  comments: JournalComment[];
}

/** The entry as the trainer may see it now, or undefined if they may not. */
async function visibleToTrainer(entryId: string, trainingId: string): Promise<JournalEntry | undefined> {
  const entry = await findEntry(entryId);
  if (!entry) return undefined;
  const all = entry.trainingId === trainingId && !entry.sharedAt ? await isTrainingShared(entry.authorSub, trainingId) : false;
  return trainerMayRead(entry, trainingId, all) ? entry : undefined;
}

function sharedView(entry: JournalEntry, comments: JournalComment[]): SharedEntryView {
  return {
    entryId: entry.entryId,
    authorName: entry.authorName,
    title: entry.title,
    text: entry.text,
    language: entry.language,
    ...(entry.sessionId ? { sessionId: entry.sessionId } : {}),
    ...(entry.prompt ? { prompt: entry.prompt } : {}),
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    comments,
  };
}

export async function trainerJournal(principal: Principal, trainingId: string): Promise<{ trainingId: string; items: SharedEntryView[] }> {
  await assertTrainerOf(principal, trainingId);
  const { entryIds, authorSubs } = await sharedWithTraining(trainingId);
  const [single, byAuthor] = await Promise.all([
    Promise.all(entryIds.map((entryId) => visibleToTrainer(entryId, trainingId))),
    Promise.all(authorSubs.map((sub) => allEntriesOfAuthor(sub, trainingId))),
  ]);
  const entries = new Map<string, JournalEntry>();
  for (const entry of [...single, ...byAuthor.flat()]) if (entry) entries.set(entry.entryId, entry);
  const sorted = [...entries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const comments = await Promise.all(sorted.map((entry) => commentsOf(entry.entryId)));
  return { trainingId, items: sorted.map((entry, index) => sharedView(entry, comments[index]!)) };
}

export async function commentOnJournalEntry(principal: Principal, trainingId: string, entryId: string, text: string): Promise<JournalComment> {
  await assertTrainerOf(principal, trainingId);
  const entry = await visibleToTrainer(entryId, trainingId);
  if (!entry) {
    throw new NotFoundError('No such shared entry: the author has not shared it with you, or no longer does. Comment on the entries listed as shared.');
  }
  const comment: JournalComment = {
    commentId: newId(),
    entryId,
    trainingId,
    authorSub: principal.sub,
    authorName: principal.name,
    text,
    createdAt: clock.now().toISOString(),
  };
  if (!(await putComment(comment))) {
    throw new NotFoundError('The entry was deleted or moved meanwhile. Reload the shared entries.');
  }
  return comment;
}

/** The workflow side of a comment (its INSERT on the stream): the author's email, once per comment. */
export async function onJournalCommentAdded(comment: JournalComment): Promise<void> {
  const entry = await findEntry(comment.entryId);
  // Deleted meanwhile: nobody left to tell.
  if (!entry) return;
  await sendEmailOnce(`journal-comment#${comment.commentId}`, () => journalCommentEmail(entry, comment));
}

export async function journalPrompts(_principal: Principal, query: { trainingId?: string; lang?: Language }): Promise<{ language: Language; prompts: Prompt[] }> {
  const language = query.lang ?? 'kk';
  const extra = query.trainingId ? await trainerPrompts(query.trainingId) : [];
  return { language, prompts: promptsIn(language, extra) };
}

export async function setTrainerPrompts(principal: Principal, trainingId: string, prompts: LocalizedPrompt[]): Promise<{ trainingId: string; prompts: LocalizedPrompt[] }> {
  const training = await findTraining(trainingId);
  if (!training) throw new NotFoundError('No such training. Choose one of your trainings.');
  if (!canEdit(principal, training)) {
    throw new ForbiddenError('Only the training\'s trainer or an administrator adds journal prompts to it. Ask them to add yours.');
  }
  await saveTrainerPrompts(trainingId, prompts, clock.now().toISOString());
  return { trainingId, prompts };
}

export async function exportJournal(
  principal: Principal,
  format: 'md' | 'pdf',
  language: Language,
): Promise<{ markdown: string } | { pdf: Buffer }> {
  const entries = await allEntriesOfAuthor(principal.sub);
  const trainingIds = [...new Set(entries.flatMap((entry) => (entry.trainingId ? [entry.trainingId] : [])))];
  const trainings = new Map((await Promise.all(trainingIds.map((id) => findTraining(id)))).flatMap((training) => (training ? [[training.id, training] as const] : [])));
  const rows: ExportEntry[] = entries.map((entry) => {
    const training = entry.trainingId ? trainings.get(entry.trainingId) : undefined;
    return {
      title: entry.title,
      text: entry.text,
      createdAt: entry.createdAt,
      ...(entry.prompt ? { prompt: entry.prompt } : {}),
      ...(training ? { trainingTitle: titleIn(training.title, language) } : {}),
    };
  });
  if (format === 'md') return { markdown: journalMarkdown(principal.name, rows, language) };
  // pdfkit and the fonts load only for a PDF export, not in every journal route that shares this module.
  const { renderJournalPdf } = await import('../certificates/journal-pdf');
  return { pdf: await renderJournalPdf(principal.name, rows, language) };
}
