import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { useStackTable } from '../support/stack-table';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { sendRateKeys } from '../../shared/store/keys';
import type * as SendRate from '../../shared/store/send-rate';
import { tableShape } from '../../shared/store/table';

let client: DynamoDBClient;
let takeSendSlot: typeof SendRate.takeSendSlot;

beforeAll(async () => {
  useStackTable();
  client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint') });
  ({ takeSendSlot } = await import('../../shared/store/send-rate'));
});
afterAll(() => client.destroy());

describe('the local table expires items as the deployed one does', () => {
  it('has TTL on, on the attribute the table shape names (as CDK sets it)', async () => {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE_NAME }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: tableShape.timeToLiveAttribute });
  });

  it('a send-rate window written by the store carries that attribute, in epoch seconds', async () => {
    // A second far in the past, so no worker of the stack shares the window.
    const second = 1_000_000_000 + Math.floor(Math.random() * 1_000_000);
    expect(await takeSendSlot(second, 5)).toBe(true);
    const documents = DynamoDBDocumentClient.from(client);
    const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: sendRateKeys.window(second), ConsistentRead: true }));
    expect(Item?.sent).toBe(1);
    expect(Item?.[tableShape.timeToLiveAttribute]).toBe(second + 3600);
  });
});
