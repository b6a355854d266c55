import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as ReconcileStore from '../../shared/store/reconcile';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);
const dynamoMock = mockClient(DynamoDBClient);

let store: typeof ReconcileStore;
beforeAll(async () => {
  store = await import('../../shared/store/reconcile');
});
beforeEach(() => {
  documentMock.reset();
  dynamoMock.reset();
});

describe('scanTypes splits the table into many segments and reads a few at a time', () => {
  it('reads every segment once, follows its pages, and keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    documentMock.on(ScanCommand).callsFake(async (input: { Segment: number; ExclusiveStartKey?: { pk: string } }) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      // Every segment has two pages.
      const page = input.ExclusiveStartKey ? 2 : 1;
      return {
        Items: [{ pk: `S${input.Segment}`, sk: `page${page}`, type: 'Training' }],
        ...(page === 1 ? { LastEvaluatedKey: { pk: `S${input.Segment}`, sk: 'page1' } } : {}),
      };
    });

    const seen: string[] = [];
    await store.scanTypes(['Training'], (items) => void seen.push(...items.map((item) => `${item.pk as string}/${item.sk as string}`)), {
      segments: 10,
      concurrency: 3,
    });

    const expected = Array.from({ length: 10 }, (_, segment) => [`S${segment}/page1`, `S${segment}/page2`]).flat();
    expect(seen.sort()).toEqual(expected.sort());
    expect(mostInFlight).toBe(3);
    const inputs = documentMock.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(new Set(inputs.map((input) => input.TotalSegments))).toEqual(new Set([10]));
  });

  it('sizes the segments at about one 1 MB page each, never fewer than four', async () => {
    dynamoMock.on(DescribeTableCommand).resolvesOnce({ Table: { TableSizeBytes: 700 * 2 ** 20 + 1 } }).resolvesOnce({ Table: { TableSizeBytes: 0 } });
    expect(await store.segmentsForTableSize()).toBe(701);
    expect(await store.segmentsForTableSize()).toBe(4);
  });
});
