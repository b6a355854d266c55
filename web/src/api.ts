/** The API on the same origin; errors carry the server's message and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly fields: Record<string, string[]>,
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string[]>; reason?: string };
  message?: string;
}

let tokenSource: () => string | undefined = () => undefined;
let onUnauthorized: () => void = () => undefined;

export function configureApi(options: { token: () => string | undefined; unauthorized: () => void }): void {
  tokenSource = options.token;
  onUnauthorized = options.unauthorized;
}

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  if (response.ok) return response;
  let parsed: ErrorBody = {};
  try {
    parsed = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  if (response.status === 401) onUnauthorized();
  throw new ApiError(
    response.status,
    parsed.error?.message ?? parsed.message ?? `${response.status} ${response.statusText}`,
    parsed.error?.code,
    parsed.error?.fields ?? {},
    parsed.error?.reason,
  );
}

export async function apiJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export const get = <T>(path: string) => apiJson<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => apiJson<T>('POST', path, body);

export async function postText<T>(path: string, text: string, contentType: string): Promise<T> {
  return (await (await send('POST', path, text, contentType)).json()) as T;
}

/** Downloads a file the API serves only with the token (PDF, CSV, XLSX) under the given name. */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await send('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Every page of a paged list, following `nextCursor` until the server says there is no more:
 * a 1,000-person roster is ten pages of 100, not the first page. `onPage` reports how many
 * items have arrived, for a progress bar.
 */
export async function getAllPages<T>(
  path: string,
  query: Record<string, string | number | undefined>,
  onPage?: (loaded: number) => void,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<{ items: T[]; nextCursor?: string }>(withQuery(path, { ...query, cursor }));
    items.push(...page.items);
    onPage?.(items.length);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** The field errors that belong to one form field: exact key, or nested under it (`sessions.1.startsAt`). */
export function fieldMessages(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return Object.entries(error.fields)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}
