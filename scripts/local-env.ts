import { TABLE_NAME } from '../local/stack';

/** The scripts work on the running local stack unless the environment names another table. */
export function useLocalTableByDefault(): void {
  process.env.TABLE_NAME ??= TABLE_NAME;
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://localhost:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}
