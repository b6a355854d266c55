import { expect, inject } from 'vitest';
import type { Training } from '../../shared/schemas/training';
import { demoAccounts } from '../../local/demo-accounts';
import type { TokenRequest } from '../../local/tokens';
import { checkContract } from './contract';
import type { PathTo, ResponseBody, RouteName } from '../../shared/api/client';
import { routes } from '../../shared/manifest';

export const apiUrl = () => inject('apiUrl');

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ApiRequest {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export async function api<T = Record<string, unknown>>(method: string, path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | Buffer | undefined;
  if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  } else if (method !== 'GET' && path.startsWith('/api/local/')) {
    // The control routes take JSON only, even without a body (local/gateway.ts refuseControlRequest).
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${apiUrl()}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  checkContract(method, path, { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed, text });
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** A file the API serves (PDF, ZIP, spreadsheet), as bytes, checked against its route's contract too. */
export async function apiFile(path: string, request: Pick<ApiRequest, 'token' | 'headers'> = {}): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const headers: Record<string, string> = { ...request.headers, ...(request.token ? { authorization: `Bearer ${request.token}` } : {}) };
  const response = await fetch(`${apiUrl()}${path}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const text = /json|text/.test(contentType) ? new TextDecoder().decode(bytes) : '';
  let parsed: unknown;
  try {
    parsed = /json/.test(contentType) ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  checkContract('GET', path, { status: response.status, contentType, body: parsed, text });
  return { status: response.status, headers: response.headers, bytes };
}

/**
 * One call of a manifest route: the method comes from the manifest, `path` must reach the route
 * (checked when this compiles) and the body is typed by the route's declaration in shared/api.
 * For answers a test expects to be errors, use api<ErrorBody>.
 */
export function call<N extends RouteName>(route: N, path: PathTo<N>, request: ApiRequest = {}): Promise<ApiResponse<ResponseBody<N>>> {
  return api<ResponseBody<N>>(routes[route].method, path, request);
}

/**
 * A trainer is designated a national trainer unless `nationalTrainer: false`: the default training
 * (trainingBody) is a level-0 one, which only national trainers (and admins) may publish.
 */
export async function tokenFor(identity: TokenRequest, options: { nationalTrainer?: boolean } = {}): Promise<string> {
  const response = await api<{ token: string }>('POST', '/api/local/token', { body: identity });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
  if ((identity.groups as readonly string[]).includes('trainers') && options.nationalTrainer !== false) {
    await designateNationalTrainer(identity.email);
  }
  return response.body.token;
}

let adminToken: Promise<string> | undefined;

export async function designateNationalTrainer(email: string): Promise<void> {
  adminToken ??= tokenFor(demoAccounts.admin);
  const response = await call('designateNationalTrainer', `/api/national-trainers/${encodeURIComponent(email)}`, { token: await adminToken });
  if (response.status !== 200) throw new Error(`designation failed: ${response.status} ${response.text}`);
}

let counter = 0;
/** A fresh identity per test, so tests never see each other's registrations. */
export function uniqueAccount(kind: 'teachers' | 'trainers' | 'admins', name = 'Қанат Тестов'): TokenRequest {
  counter += 1;
  return { email: `${kind}-${Date.now()}-${counter}@test.kz`, name, groups: [kind] };
}

export const accounts = demoAccounts;

export async function setClock(now: Date | string): Promise<void> {
  const response = await api('POST', '/api/local/clock', { body: { now: typeof now === 'string' ? now : now.toISOString() } });
  if (response.status !== 200) throw new Error(`clock: ${response.text}`);
}

export async function resetClock(): Promise<void> {
  await api('DELETE', '/api/local/clock');
}

/** Waits until the stream poller has delivered everything written so far. */
export async function drainStreams(): Promise<void> {
  const response = await api('POST', '/api/local/streams/drain');
  if (response.status !== 200) throw new Error(`drain: ${response.text}`);
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { filename?: string; content: string; contentType?: string }[];
  at: number;
}

export async function sentEmails(): Promise<StoredEmail[]> {
  const response = await fetch(`${inject('sesUrl')}/store`);
  const store = (await response.json()) as { emails: StoredEmail[] };
  return store.emails;
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 5_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A valid training body whose sessions start `inDays` from `now`. */
export function trainingBody(overrides: Record<string, unknown> = {}, now = Date.now(), inDays = 10) {
  // Whole minutes, as people schedule them (and as calendars store them).
  const start = Math.floor((now + inDays * 86_400_000) / 60_000) * 60_000;
  const session = (day: number) => ({
    startsAt: new Date(start + day * 86_400_000).toISOString().replace('Z', '+00:00'),
    endsAt: new Date(start + day * 86_400_000 + 3 * 3_600_000).toISOString().replace('Z', '+00:00'),
    venue: 'Алматы, №12 мектеп',
    onlineUrl: 'https://meet.example.org/abc',
  });
  return {
    title: { kk: 'Көшбасшылық және өзгеріс', en: 'Leadership and change' },
    topic: 'teacher-leadership',
    language: 'kk',
    region: 'almaty',
    level: 0,
    hours: 24,
    ects: 1,
    capacity: 20,
    sessions: [session(0), session(1), session(2)],
    ...overrides,
  };
}

/** Fires a manifest schedule now, as EventBridge would on its next tick. */
export async function runSchedule(name: string): Promise<unknown> {
  const response = await api<{ result: unknown }>('POST', `/api/local/schedules/${name}/run`);
  if (response.status !== 200) throw new Error(`schedule ${name}: ${response.status} ${response.text}`);
  return response.body.result;
}

/** The one error body every route answers (shared/api/errors.ts). */
export type { ErrorBody } from '../../shared/api/errors';

/** Someone signed in: what tests need to act as them and to find their email. */
export interface Person {
  email: string;
  name: string;
  token: string;
}

export async function newPerson(name = 'Айгүл Жұмабекқызы', groups: TokenRequest['groups'] = ['teachers']): Promise<Person> {
  const account = { ...uniqueAccount('teachers', name), groups };
  return { email: account.email, name, token: await tokenFor(account) };
}

/** Creates and publishes a training as `token`, failing the test with the API's answer if either step fails. */
export async function publishTraining(token: string, body: Record<string, unknown>): Promise<Training> {
  const created = await call('createTraining', '/api/trainings', { token, body });
  expect(created.status, created.text).toBe(201);
  const published = await call('publishTraining', `/api/trainings/${created.body.id}/publish`, { token });
  expect(published.status, published.text).toBe(200);
  return published.body;
}

export async function emailsTo(address: string, subject?: RegExp): Promise<StoredEmail[]> {
  return (await sentEmails()).filter(
    (email) => email.destination.to.some((to) => to.includes(address)) && (!subject || subject.test(email.subject)),
  );
}
