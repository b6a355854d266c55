import { TABLE_NAME } from '../local/stack';

/** The scripts work on the running local stack unless the environment names another table. */
export function useLocalTableByDefault(): void {
  process.env.TABLE_NAME ??= TABLE_NAME;
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://localhost:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

/** The running local stack's base URL (`API_URL`, else `PORT`, else 3000). */
export function localApiUrl(): string {
  return (process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
}

/** A request to one of the local stack's control routes, which take JSON only (local/gateway.ts). */
export function localControl(path: string, method: 'GET' | 'POST' = 'POST'): Promise<Response> {
  return fetch(`${localApiUrl()}${path}`, method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{}' } : { method });
}
