import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from '../schemas/zod';
import { hasAnyRole, principalFromClaims, type Principal } from '../auth/principal';
import {
  DomainError,
  ForbiddenError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldErrors,
} from '../errors';
import type { RouteDefinition } from '../manifest';
import { errorName, logger } from '../observability/logger';
import { cursorBinding, cursorKey, sealCursor, unsealCursor } from './cursors';

const DEFAULT_MAX_BODY_BYTES = 100 * 1024;

export interface HttpResponse {
  status: number;
  /** Serialized as JSON unless `text` or `binary` is given. */
  body?: unknown;
  text?: string;
  binary?: Buffer;
  headers?: Record<string, string>;
}

type PrincipalOf<R extends RouteDefinition> = R['access'] extends 'public' ? Principal | undefined : Principal;

export interface RouteContext<R extends RouteDefinition, TBody, TQuery, TParams> {
  body: TBody;
  query: TQuery;
  params: TParams;
  principal: PrincipalOf<R>;
  event: APIGatewayProxyEventV2;
  requestId: string;
}

/** Any zod schema whose output is T (the runtime schemas are zod/mini; see shared/schemas/zod.ts). */
type Schema<T> = z.core.$ZodType<T>;

/**
 * What a route accepts. Each route's spec is declared once, in shared/api/<area>.ts (with its
 * responses beside it), and read from there by its handler and by the OpenAPI document.
 */
export interface RouteSpec<TBody = unknown, TQuery = unknown, TParams = unknown> {
  body?: Schema<TBody>;
  query?: Schema<TQuery>;
  params?: Schema<TParams>;
  /** `text` hands the raw body (e.g. CSV) to the body schema instead of parsed JSON. */
  bodyFormat?: 'json' | 'text';
  /** The body may be left out entirely (the schema then sees `undefined`). */
  bodyOptional?: boolean;
}

type Event = APIGatewayProxyEventV2 & { parsedBody?: unknown; principal?: Principal };
type Middleware = middy.MiddlewareObj<Event, APIGatewayProxyResultV2, Error, Context>;

function zodFieldErrors(error: z.core.$ZodError, prefix?: string): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || (prefix ?? 'body');
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

function parseWith<T>(schema: Schema<T> | undefined, value: unknown, part: string): T {
  if (!schema) return undefined as T;
  const result = z.safeParse(schema, value);
  if (!result.success) {
    throw new ValidationError(
      `Some ${part === 'body' ? 'fields' : `${part} values`} are not valid. Correct the fields listed and send the request again.`,
      zodFieldErrors(result.error, part === 'body' ? undefined : part),
    );
  }
  return result.data;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

function toResult(response: HttpResponse): APIGatewayProxyResultV2 {
  if (response.binary) {
    return {
      statusCode: response.status,
      headers: response.headers ?? {},
      body: response.binary.toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (response.text !== undefined) {
    return { statusCode: response.status, headers: response.headers ?? {}, body: response.text };
  }
  if (response.body === undefined) return { statusCode: response.status, headers: response.headers ?? {} };
  return json(response.status, response.body, response.headers);
}

/** A page's `nextCursor`, sealed to the request it answers. */
async function sealNextCursor(response: HttpResponse, binding: string | undefined, routeName: string): Promise<HttpResponse> {
  const body = response.body;
  if (typeof body !== 'object' || body === null || !('nextCursor' in body) || typeof body.nextCursor !== 'string') return response;
  if (binding === undefined) {
    // A store cursor handed out unsealed would let a client aim a query at another partition.
    throw new Error(`Route ${routeName} returns a cursor but its manifest entry lacks permissions.cursorKey.`);
  }
  return { ...response, body: { ...body, nextCursor: sealCursor(body.nextCursor, binding, await cursorKey()) } };
}

/** Maps the JSON body parser's errors, which all arrive as 415, to what actually went wrong. */
function fromBodyParserError(error: Error): DomainError | undefined {
  const cause = error.cause as { package?: unknown; message?: unknown } | undefined;
  if (cause?.package !== '@middy/http-json-body-parser') return undefined;
  if (error.message === 'Unsupported Media Type') {
    return new UnsupportedMediaTypeError(
      'The request body must be JSON. Send it with the header Content-Type: application/json.',
    );
  }
  return new ValidationError(
    `The request body is not valid JSON${typeof cause.message === 'string' ? ` (${cause.message})` : ''}. Check its syntax and send it again.`,
    { body: ['must be a valid JSON document'] },
  );
}

function errorResponse(error: unknown, requestId: string): APIGatewayProxyResultV2 {
  const domainError =
    error instanceof DomainError ? error : error instanceof Error ? fromBodyParserError(error) : undefined;
  if (domainError) {
    return json(domainError.status, {
      error: {
        code: domainError.code,
        message: domainError.message,
        ...('reason' in domainError ? { reason: domainError.reason } : {}),
        ...('details' in domainError && domainError.details ? { details: domainError.details } : {}),
        ...(domainError.fields ? { fields: domainError.fields } : {}),
        requestId,
      },
    });
  }
  // The error's type and where it was thrown, not its message: messages can quote the input,
  // and the input may be someone's name or email.
  logger.error('Unhandled error', {
    errorName: errorName(error),
    stackFrames: error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : undefined,
  });
  return json(500, {
    error: {
      code: 'INTERNAL',
      message: `Something went wrong on our side. Try again in a minute; if it keeps happening, contact support and quote request ${requestId}.`,
      requestId,
    },
  });
}

/**
 * Wraps one use case as a Lambda handler for an HTTP API route: header normalizing, body size
 * limit, JSON parsing, the route's role check, zod validation of path, query and body, and the
 * mapping of every error to a 4xx with a clear message (or a logged 5xx).
 *
 * The role check runs before body validation on purpose: someone who may not call a route learns
 * nothing about what it accepts.
 */
export function defineRoute<R extends RouteDefinition, TBody = undefined, TQuery = undefined, TParams = undefined>(
  route: R,
  spec: RouteSpec<TBody, TQuery, TParams>,
  run: (context: RouteContext<R, TBody, TQuery, TParams>) => Promise<HttpResponse>,
) {
  const maxBodyBytes = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const pages = route.permissions.cursorKey === true;
  const wantsJson = spec.body !== undefined && spec.bodyFormat !== 'text';

  const core = async (event: Event, lambdaContext: Context): Promise<APIGatewayProxyResultV2> => {
    const requestId = event.requestContext?.requestId ?? lambdaContext.awsRequestId;
    const principal = event.principal;
    const rawBody = spec.bodyFormat === 'text' ? decodeTextBody(event) : event.parsedBody;
    const rawQuery = event.queryStringParameters ?? {};
    const binding = pages
      ? cursorBinding({ route: route.name, pathParameters: event.pathParameters, query: rawQuery, caller: principal?.sub })
      : undefined;
    const params = parseWith(spec.params, event.pathParameters ?? {}, 'path');
    let query = parseWith(spec.query, rawQuery, 'query');
    // Cursors leave sealed and come back sealed; the use cases and the store see only their own.
    // Opened after the schema, so a malformed cursor is reported with the other bad fields.
    const sealed = (query as Record<string, unknown> | undefined)?.cursor;
    if (binding !== undefined && typeof sealed === 'string') {
      query = { ...query, cursor: unsealCursor(sealed, binding, await cursorKey()) };
    }
    const context: RouteContext<R, TBody, TQuery, TParams> = {
      params,
      query,
      body: parseWith(spec.body, rawBody, 'body'),
      principal: principal as PrincipalOf<R>,
      event,
      requestId,
    };
    const response = await run(context);
    return toResult(await sealNextCursor(response, binding, route.name));
  };

  const mapErrors: Middleware = {
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      request.response = errorResponse(request.error, requestId);
    },
  };

  const limitBodySize: Middleware = {
    before: (request) => {
      logger.appendKeys({ route: route.name });
      const { body, isBase64Encoded } = request.event;
      const size = body ? Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8') : 0;
      if (size > maxBodyBytes) {
        throw new PayloadTooLargeError(
          `The request body is ${Math.ceil(size / 1024)} KB; this request accepts at most ${Math.floor(maxBodyBytes / 1024)} KB. Send less data.`,
        );
      }
    },
  };

  const authorize: Middleware = {
    before: (request) => {
      const claims = (request.event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer?.jwt
        ?.claims;
      const principal = principalFromClaims(claims);
      if (route.access !== 'public') {
        if (!principal) {
          throw new UnauthenticatedError('You are not signed in or your session has expired. Sign in and try again.');
        }
        if (!hasAnyRole(principal, route.access.roles)) {
          throw new ForbiddenError(
            `Your account cannot do this: it needs one of the roles ${route.access.roles.join(', ')}. ` +
              'Sign in with such an account or ask an administrator for access.',
          );
        }
      }
      request.event.principal = principal;
    },
  };

  // middy's parser rejects a missing body outright; routes whose body is optional skip it then.
  const jsonParser = httpJsonBodyParser<Event>();
  const parseJsonBody: Middleware = {
    before: async (request) => {
      if (!wantsJson) return;
      if (!request.event.body) {
        if (spec.bodyOptional) return;
        throw new ValidationError('This request needs a JSON body. Send one with Content-Type: application/json.', {
          body: ['is required'],
        });
      }
      await jsonParser.before?.(request);
      // The parser has put the parsed value in place of the text.
      request.event.parsedBody = request.event.body;
    },
  };

  return middy<Event, APIGatewayProxyResultV2>()
    // Never the event: request bodies hold names, emails and anonymous feedback answers, so even
    // POWERTOOLS_LOGGER_LOG_EVENT=true set on a function must not copy them into the logs.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(mapErrors)
    .use(httpHeaderNormalizer())
    .use(limitBodySize)
    .use(authorize)
    .use(parseJsonBody)
    .handler(core);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text uploads (CSV) must be UTF-8; anything else would silently corrupt Kazakh names. */
function decodeTextBody(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  if (!event.isBase64Encoded) {
    // A proxy that decoded non-UTF-8 bytes as text has left replacement characters behind.
    if (event.body.includes('\uFFFD')) throw notUtf8();
    return event.body;
  }
  try {
    return strictUtf8.decode(Buffer.from(event.body, 'base64'));
  } catch {
    throw notUtf8();
  }
}

function notUtf8(): ValidationError {
  return new ValidationError(
    'The file is not UTF-8 text. Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and upload it again.',
    { body: ['must be UTF-8 encoded'] },
  );
}
