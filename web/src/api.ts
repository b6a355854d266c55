import type { MethodOf, PathTo, ResponseBody, RouteName } from '../../shared/api/client';

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

async function json<T>(response: Response): Promise<T> {
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Routes of one method: `get` takes only GET routes, and so on. */
type RouteWith<M extends string> = { [N in RouteName]: MethodOf<N> extends M ? N : never }[RouteName];

/** A path some GET route answers (downloads: the file is not typed, only where it comes from). */
export type GetPath = PathTo<RouteWith<'GET'>>;

/**
 * One call of a manifest route, its answer typed by the route's declaration in shared/api. The
 * route name exists for the types: `path` must be one of that route's paths (checked when this
 * compiles), so a page can no longer claim an answer another route gives.
 */
export function apiJson<N extends RouteName>(method: MethodOf<N>, _route: N, path: PathTo<N>, body?: unknown): Promise<ResponseBody<N>> {
  return send(method, path, body).then((response) => json<ResponseBody<N>>(response));
}

export const get = <N extends RouteWith<'GET'>>(route: N, path: PathTo<N>) => apiJson<N>('GET', route, path);
export const post = <N extends RouteWith<'POST'>>(route: N, path: PathTo<N>, body?: unknown) => apiJson<N>('POST', route, path, body);

export async function postText<N extends RouteWith<'POST'>>(_route: N, path: PathTo<N>, text: string, contentType: string): Promise<ResponseBody<N>> {
  return json<ResponseBody<N>>(await send('POST', path, text, contentType));
}

/** The local runtime's own routes (sign-in): outside the manifest and its contract. */
export async function localJson<T>(path: `/api/local/${string}`, body: unknown): Promise<T> {
  return json<T>(await send('POST', path, body));
}

/** Downloads a file the API serves only with the token (PDF, CSV, XLSX) under the given name. */
export async function download(path: GetPath, filename: string): Promise<void> {
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
export function withQuery<P extends string>(path: P, query: Record<string, string | number | undefined>): P | `${P}?${string}` {
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
export async function getAllPages<N extends PagedRoute>(
  route: N,
  path: PathTo<N> & string,
  query: Record<string, string | number | undefined>,
  onPage?: (loaded: number) => void,
): Promise<PageItem<N>[]> {
  const items: PageItem<N>[] = [];
  let cursor: string | undefined;
  do {
    const page = (await get(route, withQuery(path, { ...query, cursor }) as PathTo<N>)) as { items: PageItem<N>[]; nextCursor?: string };
    items.push(...page.items);
    onPage?.(items.length);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** GET routes that answer a page: `items`, and `nextCursor` while there are more. */
type PagedRoute = { [N in RouteWith<'GET'>]: ResponseBody<N> extends { items: readonly unknown[]; nextCursor?: string } ? N : never }[RouteWith<'GET'>];
type PageItem<N extends PagedRoute> = ResponseBody<N> extends { items: readonly (infer Item)[] } ? Item : never;

/** The field errors that belong to one form field: exact key, or nested under it (`sessions.1.startsAt`). */
export function fieldMessages(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return Object.entries(error.fields)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, messages]) => messages);
}
