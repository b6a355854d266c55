import { BatchWriteItemCommand, type BatchWriteItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import type { Training } from '../../shared/schemas/training';
import { api, drainStreams, publishTraining, tokenFor, trainingBody, uniqueAccount } from '../support/api';
import { rawTableClient, useStackTable } from '../support/stack-table';

type RosterPage = { items: { registrationId: string; email: string; status: string }[]; nextCursor?: string };

const COHORT = 1_000;

let trainer: string;
let training: Training;

// A thousand registrations written straight to the table are a thousand stream records: let the
// consumers finish them here, so the next file on the shared stack does not wait behind them.
afterAll(async () => {
  await drainStreams();
}, 180_000);

beforeAll(async () => {
  trainer = await tokenFor(uniqueAccount('trainers', 'Сәуле Нұрланқызы'));
  // 30 days ahead: out of the near-term public list the other tests read.
  training = await publishTraining(trainer, trainingBody({ capacity: COHORT, title: { kk: 'Мың адамдық топ' } }, Date.now(), 30));
  // Written straight to the table, 25 at a time: the point here is reading a whole cohort back.
  // (Importing 1,000 rows through the API takes seats one row at a time, and on a loaded machine
  // a fresh DynamoDB Local needs longer than the API's 29 s even for a file of 100.)
  useStackTable();
  const { registrationItem } = await import('../../shared/store/registrations');
  const client = rawTableClient();
  const stamp = Date.now();
  const registeredAt = new Date().toISOString();
  const items = Array.from({ length: COHORT }, (_, n) =>
    registrationItem({
      registrationId: `cohort${stamp}n${n}`,
      trainingId: training.id,
      email: `cohort-${stamp}-${n}@school.kz`,
      fullName: `Қатысушы ${n}`,
      preferredLanguage: 'kk',
      status: 'confirmed',
      registeredAt,
      confirmedAt: registeredAt,
      source: 'import',
    }),
  );
  for (let start = 0; start < items.length; start += 25) {
    let pending: BatchWriteItemCommandInput['RequestItems'] = {
      [TABLE_NAME]: items.slice(start, start + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })),
    };
    while (pending && Object.keys(pending).length > 0) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems;
  }
  client.destroy();
}, 400_000);

describe('a 1,000-person cohort, whole', () => {
  it('pages through the roster to the last person, as the web app does, each person once', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
      const page = await api<RosterPage>('GET', `/api/trainings/${training.id}/registrations?${query.toString()}`, { token: trainer });
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(200);
      for (const item of page.body.items) {
        expect(seen.has(item.registrationId), 'a person on two pages').toBe(false);
        seen.add(item.registrationId);
      }
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(cursor, 'the roster ended').toBeUndefined();
    expect(seen.size).toBe(COHORT);
    expect(pages).toBeGreaterThanOrEqual(COHORT / 200);
  });

  it('puts everyone on the attendance grid and the issuance view, not the first 500', async () => {
    const grid = await api<{ participants: unknown[] }>('GET', `/api/trainings/${training.id}/attendance?format=json`, { token: trainer });
    expect(grid.status, grid.text).toBe(200);
    expect(grid.body.participants).toHaveLength(COHORT);
    const issuance = await api<{ summary: { participants: number }; items: unknown[] }>('GET', `/api/trainings/${training.id}/issuance`, { token: trainer });
    expect(issuance.status, issuance.text).toBe(200);
    expect(issuance.body.summary.participants).toBe(COHORT);
    expect(issuance.body.items).toHaveLength(COHORT);
  });
});
