/**
 * Maps trainings stored with a free-text topic (before the vocabulary) to a vocabulary id: a
 * topic equal to an id, to a topic's name in any language, or to an id once written as one
 * (`Lesson Study` → `lesson-study`) takes that id; anything else takes the fallback topic
 * (`other`), and the text is kept on the training as `legacyTopic` for an admin to review.
 *
 * An offline tool (a Scan of the trainings), idempotent: a training that names an id already is
 * left alone, so a second run changes nothing. The aggregates still hold the old attribute names
 * until `npm run reconcile` recomputes them.
 */
import { FALLBACK_TOPIC_ID, isTopicId } from '../config/topics';
import { entityTypes } from '../store/entity-types';
import { scanTypes } from '../store/reconcile';
import { replaceTopic } from '../store/trainings';
import { listTopics } from './topics';

export interface TopicMigrationReport {
  trainings: number;
  /** Trainings that named a vocabulary id already. */
  unchanged: number;
  /** Free text → id, with how many trainings had it. */
  mapped: { from: string; to: string; trainings: number }[];
  /** Trainings edited while the run read them: left for the next run. */
  skipped: number;
  dryRun: boolean;
}

const comparable = (text: string) => text.normalize('NFC').toLocaleLowerCase('ru').replace(/\s+/g, ' ').trim();
const slug = (text: string) =>
  text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export async function migrateTopics(options: { dryRun: boolean; concurrency?: number }): Promise<TopicMigrationReport> {
  const vocabulary = await listTopics();
  const ids = new Set(vocabulary.map((topic) => topic.id));
  const byText = new Map<string, string>();
  for (const topic of vocabulary) {
    for (const name of Object.values(topic.name)) byText.set(comparable(name), topic.id);
  }
  const target = (text: string) => {
    const bySlug = slug(text);
    return byText.get(comparable(text)) ?? (ids.has(bySlug) ? bySlug : FALLBACK_TOPIC_ID);
  };

  const legacy: { id: string; topic: string }[] = [];
  let trainings = 0;
  await scanTypes([entityTypes.training], (items) => {
    for (const item of items) {
      trainings++;
      const topic = typeof item.topic === 'string' ? item.topic : '';
      if (isTopicId(topic) && ids.has(topic)) continue;
      legacy.push({ id: item.id as string, topic });
    }
  }, { projection: ['id', 'topic'], concurrency: options.concurrency ?? 4 });

  const counts = new Map<string, { from: string; to: string; trainings: number }>();
  for (const { topic } of legacy) {
    const entry = counts.get(topic) ?? { from: topic, to: target(topic), trainings: 0 };
    entry.trainings++;
    counts.set(topic, entry);
  }
  let skipped = 0;
  if (!options.dryRun) {
    for (const { id, topic } of legacy) {
      if (!(await replaceTopic(id, topic, target(topic)))) skipped++;
    }
  }
  return {
    trainings,
    unchanged: trainings - legacy.length,
    mapped: [...counts.values()].sort((a, b) => b.trainings - a.trainings),
    skipped,
    dryRun: options.dryRun,
  };
}
