import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../env';
import { withoutSdkLogging } from '../observability/sdk-logging';

/**
 * Built once per container. Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the
 * SDK reads by itself, so this file is the same on AWS and on DynamoDB Local.
 */
export const dynamoDb = withoutSdkLogging(new DynamoDBClient({}));

export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = requiredEnv('TABLE_NAME');
