import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { useStackTable } from '../support/stack-table';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { FALLBACK_TOPIC_ID, seededTopics } from '../../shared/config/topics';
import type { Training } from '../../shared/schemas/training';
import type * as Client from '../../shared/store/client';
import type * as Keys from '../../shared/store/keys';
import type * as Trainings from '../../shared/store/trainings';
import type * as Migration from '../../shared/usecases/topic-migration';
import type * as Reconcile from '../../shared/usecases/reconcile';
import { accounts, api, drainStreams, type ErrorBody, publishTraining, tokenFor, trainingBody, uniqueAccount, call } from '../support/api';

type TopicView = { id: string; name: { kk: string; ru: string; en: string }; seeded: boolean };

let admin: string;
let trainer: string;
let client: typeof Client;
let keys: typeof Keys;
let trainings: typeof Trainings;
let migration: typeof Migration;
let reconcile: typeof Reconcile;

beforeAll(async () => {
  useStackTable();
  client = await import('../../shared/store/client');
  keys = await import('../../shared/store/keys');
  trainings = await import('../../shared/store/trainings');
  migration = await import('../../shared/usecases/topic-migration');
  reconcile = await import('../../shared/usecases/reconcile');
  admin = await tokenFor(accounts.admin);
  trainer = await tokenFor(uniqueAccount('trainers', 'Дәурен Өтепов'));
});

async function topics(): Promise<TopicView[]> {
  const response = await call('listTopics', '/api/topics');
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('the topic vocabulary', () => {
  it('is public, seeded from config/topics.json with names in kk, ru and en', async () => {
    const items = await topics();
    for (const seeded of seededTopics) expect(items.map((item) => item.id)).toContain(seeded.id);
    for (const item of items) for (const language of ['kk', 'ru', 'en'] as const) expect(item.name[language]).toBeTruthy();
  });

  it('grows only by admins, under an id the server makes whatever the name holds', async () => {
    const name = { kk: 'Көшбасшылық | =HYPERLINK("x")', ru: 'Лидерство|школы', en: `Leadership ${Date.now()}` };
    expect((await api('POST', '/api/topics', { body: { name } })).status).toBe(401);
    expect((await api('POST', '/api/topics', { token: trainer, body: { name } })).status).toBe(403);
    const added = await api<TopicView>('POST', '/api/topics', { token: admin, body: { name } });
    expect(added.status, added.text).toBe(201);
    expect(added.body.id).toMatch(/^t-[0-9a-f]{10}$/);
    expect(added.body.name).toEqual(name);
    expect((await topics()).find((topic) => topic.id === added.body.id)).toEqual({ ...added.body, seeded: false });

    // The id is never the client's, and the same name twice is one topic too many.
    const withId = await api<ErrorBody>('POST', '/api/topics', { token: admin, body: { id: 'mine', name: { ...name, en: 'Other' } } });
    expect(withId.status).toBe(400);
    const twice = await api<ErrorBody>('POST', '/api/topics', { token: admin, body: { name: { ...name, kk: 'басқа', ru: 'другое' } } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.reason).toBe('topic_name_taken');
    expect(twice.body.error.fields).toHaveProperty(['name.en']);
    const missing = await api<ErrorBody>('POST', '/api/topics', { token: admin, body: { name: { kk: 'Тек қазақша' } } });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields ?? {})).toEqual(expect.arrayContaining(['name.ru', 'name.en']));
  });

  it('renames a seeded topic in one language, keeping the others; unknown ids are 404', async () => {
    const before = (await topics()).find((topic) => topic.id === 'digital-skills')!;
    const renamed = await api<TopicView>('PATCH', '/api/topics/digital-skills', { token: admin, body: { name: { kk: 'Цифрлық сауаттылық' } } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toEqual({ id: 'digital-skills', name: { ...before.name, kk: 'Цифрлық сауаттылық' }, seeded: true });
    expect((await topics()).find((topic) => topic.id === 'digital-skills')!.name.kk).toBe('Цифрлық сауаттылық');
    expect((await api('PATCH', '/api/topics/no-such-topic', { token: admin, body: { name: { en: 'x' } } })).status).toBe(404);
    expect((await api('PATCH', '/api/topics/Lesson%20Study', { token: admin, body: { name: { en: 'x' } } })).status).toBe(400);
    expect((await api('PATCH', '/api/topics/digital-skills', { token: admin, body: { name: {} } })).status).toBe(400);
    expect((await api('PATCH', '/api/topics/digital-skills', { token: trainer, body: { name: { en: 'x' } } })).status).toBe(403);
    const back = await api('PATCH', '/api/topics/digital-skills', { token: admin, body: { name: before.name } });
    expect(back.status, back.text).toBe(200);
  });
});

describe('a training names a topic of the vocabulary', () => {
  it('refuses free text and unknown ids with the field named, and writes nothing', async () => {
    const account = uniqueAccount('trainers', 'Ұлжан Тоқтарова');
    const token = await tokenFor(account);
    for (const topic of ['Lesson Study', 'lesson-study|x', 'no-such-topic', '', 42]) {
      const response = await api<ErrorBody>('POST', '/api/trainings', { token, body: trainingBody({ topic }) });
      expect(response.status, `${JSON.stringify(topic)}: ${response.text}`).toBe(400);
      expect(response.body.error.fields).toHaveProperty('topic');
      expect(response.body.error.message).toMatch(/topic|field/i);
    }
    const mine = await call('myTrainings', '/api/me/trainings', { token });
    expect(mine.body.items).toEqual([]);

    const created = await api<Training>('POST', '/api/trainings', { token, body: trainingBody({ topic: 'lesson-study' }) });
    expect(created.status, created.text).toBe(201);
    const patched = await api<ErrorBody>('PATCH', `/api/trainings/${created.body.id}`, { token, body: { topic: 'Action research' } });
    expect(patched.status).toBe(400);
    const ok = await api<Training>('PATCH', `/api/trainings/${created.body.id}`, { token, body: { topic: 'action-research' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.topic).toBe('action-research');
  });

  it('the region report counts per topic and names it from the vocabulary, in JSON and XLSX', async () => {
    await publishTraining(trainer, trainingBody({ topic: 'inclusive-education', region: 'pavlodar', level: 0 }));
    await drainStreams();
    const month = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 7);
    const report = await call('regionReport', `/api/reports/regions/pavlodar?from=${month}&to=${month}`, { token: admin },
    );
    expect(report.status, report.text).toBe(200);
    const row = report.body.byTopic.find((entry) => entry.topic === 'inclusive-education');
    expect(row?.name).toEqual(seededTopics.find((topic) => topic.id === 'inclusive-education')!.name);
    expect(row?.metrics.trainingsScheduled).toBeGreaterThanOrEqual(1);

    const file = await fetch(`${inject('apiUrl')}/api/reports/regions/pavlodar?from=${month}&to=${month}&format=xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file.arrayBuffer());
    const sheet = workbook.getWorksheet('By topic')!;
    const names = sheet.getColumn(2).values.filter((value): value is string => typeof value === 'string');
    expect(names).toContain(row!.name.kk);
  });
});

describe('npm run migrate:topics, on trainings stored before the vocabulary', () => {
  const region = 'north-kazakhstan';
  const month = '2025-06';
  const legacyTexts = ['Lesson Study', 'Көшбасшылық | =cmd', 'Исследование в действии', 'teacher-leadership'];

  function legacyTraining(id: string, topic: string, status: Training['status']): Training {
    return {
      id,
      title: { kk: `Ескі оқыту ${id}` },
      topic,
      language: 'kk',
      region,
      level: 0,
      hours: 24,
      capacity: 20,
      sessions: [{ id: `${id}-s`, startsAt: `${month}-10T05:00:00.000Z`, endsAt: `${month}-10T08:00:00.000Z` }],
      completionThreshold: 0.8,
      feedbackRequired: true,
      status,
      trainer: { sub: 'legacy-trainer', name: 'Ескі Жаттықтырушы', email: 'legacy@test.kz' },
      createdAt: '2025-05-01T00:00:00.000Z',
      updatedAt: '2025-05-01T00:00:00.000Z',
      ...(status === 'draft' ? {} : { publishedAt: '2025-05-02T00:00:00.000Z' }),
      ...(status === 'closed' ? { closedAt: `${month}-11T00:00:00.000Z` } : {}),
    };
  }

  async function regionAttributeNames(): Promise<string[]> {
    const { Items = [] } = await client.documentClient.send(
      new QueryCommand({ TableName: TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.aggregateKeys.regionPartition(region) }, ConsistentRead: true }),
    );
    return Items.flatMap((item) => Object.keys(item)).filter((name) => name.includes('|'));
  }

  it('maps each free-text topic to an id, keeps the text, is idempotent, and reconcile then drops the old names', async () => {
    const stamp = Date.now().toString(36);
    const ids = legacyTexts.map((_, index) => `legacy-${stamp}-${index}`);
    // What today's code stored: the topic as the trainer typed it.
    for (const [index, topic] of legacyTexts.entries()) {
      await client.documentClient.send(
        new PutCommand({ TableName: TABLE_NAME, Item: trainings.trainingItem(legacyTraining(ids[index]!, topic, index === 3 ? 'draft' : 'closed'), 1) }),
      );
    }
    // And what today's consumer had counted under them: attribute names made of that text.
    await client.documentClient.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: keys.aggregateKeys.regionMonth(region, month),
        UpdateExpression: 'SET #a = :one, #b = :one, #type = :type',
        ExpressionAttributeNames: { '#a': 'scheduled|0|Lesson Study', '#b': 'held|0|Көшбасшылық | =cmd', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'Aggregate' },
      }),
    );
    await drainStreams();
    // Until migrated, reconcile refuses to build a name from the free text.
    await expect(reconcile.reconcile({ repair: false })).rejects.toThrow(/migrate:topics/);

    const dry = await migration.migrateTopics({ dryRun: true });
    expect(dry.mapped).toEqual(
      expect.arrayContaining([
        { from: 'Lesson Study', to: 'lesson-study', trainings: 1 },
        { from: 'Көшбасшылық | =cmd', to: FALLBACK_TOPIC_ID, trainings: 1 },
        { from: 'Исследование в действии', to: 'action-research', trainings: 1 },
      ]),
    );
    const stored = async (id: string) =>
      (await client.documentClient.send(new GetCommand({ TableName: TABLE_NAME, Key: keys.trainingKeys.item(id), ConsistentRead: true }))).Item!;
    expect((await stored(ids[0]!)).topic).toBe('Lesson Study');

    const run = await migration.migrateTopics({ dryRun: false });
    expect(run.skipped).toBe(0);
    expect(await Promise.all(ids.map(async (id) => (await stored(id)).topic as string))).toEqual(['lesson-study', FALLBACK_TOPIC_ID, 'action-research', 'teacher-leadership']);
    expect((await stored(ids[1]!)).legacyTopic).toBe('Көшбасшылық | =cmd');
    expect((await stored(ids[1]!)).version).toBe(2);
    // The one already naming an id is left alone.
    expect((await stored(ids[3]!)).version).toBe(1);
    expect((await migration.migrateTopics({ dryRun: false })).mapped).toEqual([]);

    await drainStreams();
    await reconcile.reconcile({ repair: true });
    const again = await reconcile.reconcile({ repair: false });
    expect(again.drift).toEqual([]);
    expect(again.largestAggregate!.bytes).toBeLessThan(100 * 1024);
    const names = await regionAttributeNames();
    const vocabulary = new Set((await topics()).map((topic) => topic.id));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(vocabulary.has(name.split('|')[2]!), name).toBe(true);
    expect(names).toContain('scheduled|0|lesson-study');
    expect(names).toContain(`held|0|${FALLBACK_TOPIC_ID}`);
  });
});

describe('the vocabulary is bounded', () => {
  it('concurrent additions never pass 50 topics: the rest are told the list is full', async () => {
    const before = (await topics()).length;
    const attempts = 60 - before;
    const answers = await Promise.all(
      Array.from({ length: attempts }, (_, index) =>
        api<ErrorBody>('POST', '/api/topics', { token: admin, body: { name: { kk: `Тақырып ${index}`, ru: `Тема ${index}`, en: `Topic ${index} ${Date.now()}` } } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 201 || status === 409), statuses.join(',')).toBe(true);
    expect(statuses.filter((status) => status === 201)).toHaveLength(50 - before);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body.error.reason).toBe('topic_limit_reached');
      expect(refused.body.error.message).toMatch(/Rename/);
    }
    expect(await topics()).toHaveLength(50);
  });
});
