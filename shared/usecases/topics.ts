/**
 * The topic vocabulary: the seeded topics of config/topics.json, the names admins gave them and
 * the topics admins added. A training names a topic by id; the aggregates count per topic id, so
 * their size is bounded by this list (at most MAX_TOPICS), not by what trainers type.
 */
import { randomBytes } from 'node:crypto';
import { hasRole, type Principal } from '../auth/principal';
import { clock } from '../clock';
import { MAX_TOPICS, findSeededTopic, seededTopics, type Topic } from '../config/topics';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { CreateTopicInput, RenameTopicInput } from '../schemas/topics';
import { findStoredTopic, insertTopic, listStoredTopics, saveTopic } from '../store/topics';

export interface TopicView extends Topic {
  /** Seeded from config/topics.json (else added by an admin). */
  seeded: boolean;
}

/** Seeded topics first, in the file's order, then added ones, oldest first. */
export async function listTopics(): Promise<TopicView[]> {
  const stored = await listStoredTopics();
  const byId = new Map(stored.map((topic) => [topic.id, topic]));
  const seeded = seededTopics.map((topic) => ({ id: topic.id, name: byId.get(topic.id)?.name ?? topic.name, seeded: true }));
  const added = stored
    .filter((topic) => !findSeededTopic(topic.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((topic) => ({ id: topic.id, name: topic.name, seeded: false }));
  return [...seeded, ...added];
}

export async function findTopic(id: string): Promise<TopicView | undefined> {
  const seeded = findSeededTopic(id);
  const stored = await findStoredTopic(id);
  if (stored) return { id, name: stored.name, seeded: Boolean(seeded) };
  return seeded ? { ...seeded, seeded: true } : undefined;
}

/** A training may only name a topic of the vocabulary: 400 on `field` otherwise. */
export async function assertKnownTopic(id: string, field = 'topic'): Promise<void> {
  if (await findTopic(id)) return;
  throw new ValidationError('The training names a topic that does not exist. Choose a topic from GET /api/topics.', {
    [field]: ['is not a known topic; use an id from GET /api/topics'],
  });
}

function assertAdmin(principal: Principal): void {
  if (!hasRole(principal, 'admins')) throw new ForbiddenError('Only admins manage the topics. Ask an admin to add or rename one.');
}

const normalized = (name: string) => name.normalize('NFC').toLocaleLowerCase('ru').replace(/\s+/g, ' ').trim();

/** Two topics with one name would be told apart by nobody: a name is unique per language. */
function assertNamesFree(topics: readonly TopicView[], name: Partial<Topic['name']>, except?: string): void {
  const fields: Record<string, string[]> = {};
  for (const language of ['kk', 'ru', 'en'] as const) {
    const wanted = name[language];
    if (wanted === undefined) continue;
    const taken = topics.find((topic) => topic.id !== except && normalized(topic.name[language]) === normalized(wanted));
    if (taken) fields[`name.${language}`] = [`is the name of topic "${taken.id}" already; choose another name or use that topic`];
  }
  if (Object.keys(fields).length > 0) {
    throw new ConflictError('Another topic has this name. Choose a different name, or use the existing topic.', 'topic_name_taken', fields);
  }
}

/** Ids of added topics are made here, never taken from the request: they become attribute names. */
function newTopicId(): string {
  return `t-${randomBytes(5).toString('hex')}`;
}

export async function addTopic(principal: Principal, input: CreateTopicInput): Promise<TopicView> {
  assertAdmin(principal);
  assertNamesFree(await listTopics(), input.name);
  const now = clock.now().toISOString();
  const topic = { id: newTopicId(), name: input.name, createdAt: now, updatedAt: now, version: 1 };
  await insertTopic(topic, MAX_TOPICS - seededTopics.length);
  return { id: topic.id, name: topic.name, seeded: false };
}

export async function renameTopic(principal: Principal, id: string, input: RenameTopicInput): Promise<TopicView> {
  assertAdmin(principal);
  const seeded = findSeededTopic(id);
  const stored = await findStoredTopic(id);
  const current = stored ?? seeded;
  if (!current) throw new NotFoundError('No topic has this id. Choose a topic from GET /api/topics.');
  const name = {
    kk: input.name.kk ?? current.name.kk,
    ru: input.name.ru ?? current.name.ru,
    en: input.name.en ?? current.name.en,
  };
  assertNamesFree(await listTopics(), input.name, id);
  const now = clock.now().toISOString();
  await saveTopic({ id, name, createdAt: stored?.createdAt ?? now, updatedAt: now, version: (stored?.version ?? 0) + 1 }, stored?.version ?? 0);
  return { id, name, seeded: Boolean(seeded) };
}
