import http from 'node:http';
import { safeParse } from 'zod/v4/core';
import { errorBodySchema } from '../../shared/api/errors';

/** One request exactly as sent: the path is not normalized, headers may repeat, any method may carry a body. */
export interface RawRequest {
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /** Who sent it, in words (the token itself is left out of reports). */
  caller: string;
  /** What is hostile about it, for the report. */
  note: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function groupHeaders(headers: readonly [string, string][]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of headers) (grouped[name.toLowerCase()] ??= []).push(value);
  return grouped;
}

export function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        // A list value goes out as one header line per value: repeated headers stay repeated.
        headers: {
          ...groupHeaders(request.headers),
          // Node frames a GET body only when told its length; without it the bytes would be read as a second request.
          ...(request.body !== undefined ? { 'content-length': String(request.body.length) } : {}),
        },
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`no answer within 30 s to ${request.method} ${request.target}`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

const SHOWN_BODY_CHARS = 400;

/** A curl command that sends the same request again (long bodies are shortened, tokens named). */
export function reproduce(baseUrl: string, request: RawRequest): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl -i -X ${request.method} ${quote(`${baseUrl}${request.target}`)}`];
  for (const [name, value] of request.headers) {
    const shown = name.toLowerCase() === 'authorization' ? `${value.slice(0, 12)}… (${request.caller})` : value.length > 200 ? `${value.slice(0, 200)}… (${value.length} chars)` : value;
    parts.push(`-H ${quote(`${name}: ${shown}`)}`);
  }
  if (request.body !== undefined) {
    const text = request.body.toString('utf8');
    parts.push(
      text.length > SHOWN_BODY_CHARS
        ? `--data-binary ${quote(text.slice(0, SHOWN_BODY_CHARS))}  # …${text.length} characters in all`
        : `--data-binary ${quote(text)}`,
    );
  }
  return `${parts.join(' \\\n  ')}\n  # caller: ${request.caller}; hostile: ${request.note}`;
}

const ERROR_KEYS = new Set(['code', 'message', 'fields', 'reason', 'details', 'requestId']);

/**
 * What is wrong with an answer, or undefined when it is acceptable: below 500 and, for a 4xx, the
 * documented error shape. The gateway's own refusals before any function runs (no route, no or a
 * bad token, a body over the HTTP API's limit) keep the HTTP API's `{"message"}` shape, which AWS
 * does not let a deployment change.
 */
export function answerProblem(response: RawResponse): string | undefined {
  if (response.status >= 500 || response.status < 200) return `answered ${response.status}`;
  if (response.status < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `answered ${response.status} with a body that is not JSON`;
  }
  if (typeof body !== 'object' || body === null) return `answered ${response.status} with a JSON body that is not an object`;
  const record = body as Record<string, unknown>;
  if (!('error' in record)) {
    const gatewayOwn = [401, 404, 413].includes(response.status);
    const onlyMessage = Object.keys(record).length === 1 && typeof record.message === 'string' && record.message.length > 0;
    return gatewayOwn && onlyMessage ? undefined : `answered ${response.status} without the documented error shape`;
  }
  const error = record.error as Record<string, unknown> | null;
  if (typeof error !== 'object' || error === null) return 'error is not an object';
  const problems: string[] = [];
  for (const key of Object.keys(error)) if (!ERROR_KEYS.has(key)) problems.push(`unexpected error.${key}`);
  if (typeof error.code !== 'string' || error.code === '') problems.push('error.code is not a non-empty string');
  if (typeof error.message !== 'string' || error.message.length < 10) problems.push('error.message is not a sentence');
  if (typeof error.requestId !== 'string' || error.requestId === '') problems.push('error.requestId is missing');
  if (error.reason !== undefined && typeof error.reason !== 'string') problems.push('error.reason is not a string');
  if (error.fields !== undefined) {
    const fields = error.fields as Record<string, unknown>;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) problems.push('error.fields is not an object');
    else {
      for (const [name, messages] of Object.entries(fields)) {
        if (!Array.isArray(messages) || messages.length === 0 || !messages.every((message) => typeof message === 'string' && message !== '')) {
          problems.push(`error.fields.${name} is not a list of messages`);
        }
      }
    }
  }
  const declared = safeParse(errorBodySchema, body);
  if (!declared.success) {
    problems.push(`not the declared error body (shared/api/errors.ts): ${declared.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join(', ')}`);
  }
  return problems.length > 0 ? `answered ${response.status}: ${problems.join('; ')}` : undefined;
}
