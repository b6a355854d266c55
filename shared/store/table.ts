import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table's shape, shared by the CDK data construct and the local runtime so the two cannot
 * drift. Key formats and the access patterns they serve live in ./keys.ts.
 */
export const tableShape = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    /** Owner: a trainer's trainings, a user's registrations and certificates. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** Published trainings of one region, by first session start; certificates by region and expiry month. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Published trainings of every region, by first session start. */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
  streamViewType: 'NEW_AND_OLD_IMAGES',
  /**
   * The attribute DynamoDB's TTL reads: epoch seconds, after which the item is deleted (within a
   * couple of days). Only items meant to expire carry it (the send-rate windows); no other item
   * may use the name, or TTL would delete it.
   */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type GlobalIndexName = (typeof tableShape.globalIndexes)[number]['indexName'];

export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttributes = [
    tableShape.partitionKey,
    tableShape.sortKey,
    ...tableShape.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableShape.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableShape.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableShape.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableShape.streamViewType },
  };
}
