import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteDefinition } from '../shared/manifest';
import { lambdaContext } from './lambda-context';
import type { LocalIssuer } from './tokens';

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A route of the local runtime itself (tokens, clock, dead letters): never deployed. */
export interface LocalRoute {
  method: string;
  path: string;
  /** Answers JSON `body`, or an `html` page (GET /api/docs). */
  handle(request: { body: unknown; params: Record<string, string> }): Promise<{ status: number; body?: unknown; html?: string }>;
}

export interface GatewayOptions {
  port: number;
  issuer: LocalIssuer;
  routes: readonly { definition: RouteDefinition; handler: HttpLambda }[];
  localRoutes: readonly LocalRoute[];
  isReady(): boolean;
  /** Serves everything outside /api (the start page, later the web app). */
  serveStatic(path: string): { contentType: string; body: Buffer | string } | undefined;
  log: (line: string) => void;
}

/** The HTTP API's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * On AWS every invocation has an instance of its own, so its timeout measures its own work. Here
 * all of them share one thread and the SDK's 50 sockets: 2,000 handlers started at once would
 * each spend their timeout queued behind the others' DynamoDB calls and answer 500. So at most
 * this many run at once; the others wait their turn, in arrival order, before their invocation
 * (and its timeout) starts, as requests wait for a free instance.
 */
const MAX_CONCURRENT_INVOCATIONS = 64;

function invocationSlots(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      // A finished invocation hands its slot straight to the next in line.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

interface CompiledPath {
  pattern: RegExp;
  names: string[];
}

function compilePath(path: string): CompiledPath {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(match[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** A path segment that is not valid percent-encoding (`%ZZ`, a truncated UTF-8 sequence). */
class MalformedPathError extends Error {}

function matchPath(compiled: CompiledPath, path: string): Record<string, string> | undefined {
  const match = compiled.pattern.exec(path);
  if (!match) return undefined;
  try {
    return Object.fromEntries(compiled.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
  } catch (error) {
    if (error instanceof URIError) throw new MalformedPathError(path);
    throw error;
  }
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readBody(request: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}


/**
 * The control routes (/api/local/*) move the clock, mint tokens for any role and fire jobs, and
 * the gateway listens on localhost, where any page open in the developer's browser can reach it.
 * A page of another origin may send a "simple" request without asking (a form post: urlencoded,
 * multipart or text/plain; a no-cors fetch), so these routes take none: a non-GET must be
 * `application/json`, which a cross-origin page can only send after a CORS preflight that this
 * gateway never grants (415 otherwise), and a request a browser marks as coming from another
 * origin (`Origin`, `Sec-Fetch-Site`) is refused (403), which also stops a DNS-rebound page.
 * Tests, benches and scripts send JSON from Node, with no `Origin`.
 */
export function refuseControlRequest(
  method: string,
  headers: http.IncomingHttpHeaders,
  ownOrigins: readonly string[],
): { status: 403 | 415; body: { error: { code: string; message: string; reason: string } } } | undefined {
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if ((origin !== undefined && !ownOrigins.includes(origin)) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    return {
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          reason: 'cross_origin',
          message: `The local control routes answer only the local app itself (${ownOrigins[0]}). Call them from that page, or from a script without an Origin header.`,
        },
      },
    };
  }
  if (method !== 'GET' && method !== 'HEAD' && !/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '')) {
    return {
      status: 415,
      body: {
        error: {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          reason: 'json_only',
          message: 'The local control routes take JSON only. Send the request with "content-type: application/json" (an empty body is fine where none is needed).',
        },
      },
    };
  }
  return undefined;
}

/** JSON travels as text, as the HTTP API passes it; anything else base64, so no byte is lost. */
function isTextual(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
}

/**
 * Serves /api/* from the manifest the way the HTTP API would: the same APIGatewayProxyEventV2,
 * the JWT verified before the function runs (401 otherwise), claims at
 * requestContext.authorizer.jwt.claims, and nothing of the token on public routes.
 */
export function startGateway(options: GatewayOptions): Promise<http.Server> {
  const apiRoutes = options.routes.map((route) => ({ ...route, compiled: compilePath(route.definition.path) }));
  const localRoutes = options.localRoutes.map((route) => ({ ...route, compiled: compilePath(route.path) }));
  const ownOrigins = [`http://localhost:${options.port}`, `http://127.0.0.1:${options.port}`];
  const inSlot = invocationSlots(MAX_CONCURRENT_INVOCATIONS);

  const server = http.createServer((request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    response.on('finish', () => {
      if (url.pathname.startsWith('/api/')) {
        options.log(`${method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms`);
      }
    });
    handle(method, url, request, response).catch((error: unknown) => {
      if (error instanceof MalformedPathError && !response.headersSent) {
        return sendJson(response, 400, {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The address is not valid percent-encoding. Encode each path segment with encodeURIComponent and send it again.',
            fields: { path: ['is not valid percent-encoding'] },
            requestId: randomUUID(),
          },
        });
      }
      options.log(`gateway error on ${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, 502, { message: 'Internal Server Error' });
      else response.end();
    });
  });

  async function handle(method: string, url: URL, request: http.IncomingMessage, response: http.ServerResponse) {
    const path = url.pathname;
    if (!path.startsWith('/api/')) {
      const file = options.serveStatic(path);
      if (!file) return sendJson(response, 404, { message: 'Not Found' });
      response.writeHead(200, { 'content-type': file.contentType });
      return void response.end(file.body);
    }
    if (!options.isReady()) {
      return sendJson(response, 503, { status: 'starting', message: 'The local stack is still starting; try again in a few seconds.' });
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      return sendJson(response, 413, { message: 'Request Entity Too Large: the API accepts at most 10 MB.' });
    }

    for (const route of localRoutes) {
      const params = route.method === method ? matchPath(route.compiled, path) : undefined;
      if (!params) continue;
      const refused = refuseControlRequest(method, request.headers, ownOrigins);
      if (refused) return sendJson(response, refused.status, { error: { ...refused.body.error, requestId: randomUUID() } });
      let parsed: unknown;
      try {
        parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        return sendJson(response, 400, { error: { code: 'VALIDATION_FAILED', message: 'The body is not valid JSON. Check its syntax.' } });
      }
      const result = await route.handle({ body: parsed, params });
      if (result.html !== undefined) {
        response.writeHead(result.status, { 'content-type': 'text/html; charset=utf-8' });
        return void response.end(result.html);
      }
      return result.body === undefined ? void response.writeHead(result.status).end() : sendJson(response, result.status, result.body);
    }

    const found = apiRoutes
      .map((route) => ({ route, params: route.definition.method === method ? matchPath(route.compiled, path) : undefined }))
      .find((candidate) => candidate.params !== undefined);
    if (!found) return sendJson(response, 404, { message: 'Not Found' });
    const { route, params } = found;

    let claims: Record<string, unknown> | undefined;
    if (route.definition.access !== 'public') {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
      if (!token) return sendJson(response, 401, { message: 'Unauthorized: sign in and send the token as "Authorization: Bearer <token>".' });
      try {
        claims = { ...(await options.issuer.verify(token)) };
      } catch {
        return sendJson(response, 401, { message: 'Unauthorized: the token is invalid or has expired. Sign in again.' });
      }
    }

    const requestId = randomUUID();
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    );
    const textual = isTextual(headers['content-type']);
    const now = new Date();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: `${route.definition.method} ${route.definition.path}`,
      rawPath: path,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(url.searchParams.size > 0
        ? { queryStringParameters: Object.fromEntries([...url.searchParams.keys()].map((key) => [key, url.searchParams.getAll(key).join(',')])) }
        : {}),
      ...(Object.keys(params ?? {}).length > 0 ? { pathParameters: params } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: request.headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method,
          path,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: `${route.definition.method} ${route.definition.path}`,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims: claims as Record<string, string>, scopes: [] } } } : {}),
      },
      ...(body.length > 0
        ? { body: textual ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !textual }
        : { isBase64Encoded: false }),
    };

    const result = await inSlot(() =>
      route.handler(event, lambdaContext({
        functionName: route.definition.name,
        requestId,
        timeoutSeconds: route.definition.timeoutSeconds ?? 29,
        memoryMb: route.definition.memoryMb,
      })),
    );
    writeLambdaResult(response, result);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A region opening registration means thousands of simultaneous connections; Node's default
    // accept backlog (511) would reset some of them before the gateway ever saw them.
    server.listen({ port: options.port, host: '127.0.0.1', backlog: 4096 }, () => resolve(server));
  });
}

function writeLambdaResult(response: http.ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(result);
  }
  const structured: APIGatewayProxyStructuredResultV2 = result;
  const headers = Object.fromEntries(Object.entries(structured.headers ?? {}).map(([name, value]) => [name, String(value)]));
  response.writeHead(structured.statusCode ?? 200, headers);
  const payload = structured.body ?? '';
  response.end(structured.isBase64Encoded ? Buffer.from(payload, 'base64') : payload);
}
