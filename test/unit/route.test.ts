import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { ConflictError } from '../../shared/errors';
import { defineRoute } from '../../shared/http/route';
import { logger } from '../../shared/observability/logger';
import type { RouteDefinition } from '../../shared/manifest';

const staffRoute = {
  name: 'testStaff',
  method: 'POST',
  path: '/api/test/{id}',
  handler: 'unused',
  access: { roles: ['trainers', 'admins'] },
  permissions: {},
  maxBodyBytes: 1024,
} as const satisfies RouteDefinition;

const context = { awsRequestId: 'req-1', functionName: 'test', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEventV2> & { claims?: Record<string, unknown> } = {}): APIGatewayProxyEventV2 {
  const { claims, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /api/test/{id}',
    rawPath: '/api/test/abc',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { id: 'abc' },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      http: { method: 'POST', path: '/api/test/abc', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    body: JSON.stringify({ capacity: 5 }),
    ...rest,
  } as unknown as APIGatewayProxyEventV2;
}

const trainerClaims = { sub: 'u1', email: 'u1@x.kz', 'cognito:groups': ['trainers'] };

const handler = defineRoute(
  staffRoute,
  { body: z.strictObject({ capacity: z.number().int().min(1) }), params: z.object({ id: z.string().min(3) }) },
  async ({ body, params, principal }) => {
    if (body.capacity === 13) throw new ConflictError('Unlucky. Pick another number.', 'unlucky');
    if (body.capacity === 99) throw new Error('database exploded with secret@x.kz');
    return { status: 201, body: { id: params.id, capacity: body.capacity, by: principal.sub } };
  },
);

interface ResponseBody {
  error: { code: string; message: string; reason?: string; fields: Record<string, string[]> };
  [key: string]: unknown;
}

async function call(input: APIGatewayProxyEventV2) {
  const result = (await handler(input, context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as ResponseBody };
}

describe('defineRoute', () => {
  it('runs the use case with parsed input and the caller', async () => {
    expect(await call(event({ claims: trainerClaims }))).toEqual({ status: 201, body: { id: 'abc', capacity: 5, by: 'u1' } });
  });

  it('answers 401 without claims and 403 for a role the route does not allow', async () => {
    expect((await call(event())).status).toBe(401);
    const teacher = await call(event({ claims: { ...trainerClaims, 'cognito:groups': ['teachers'] } }));
    expect(teacher.status).toBe(403);
    expect(teacher.body.error).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('checks the role before the body, so outsiders learn nothing about the input', async () => {
    const response = await call(event({ claims: { ...trainerClaims, 'cognito:groups': ['teachers'] }, body: '{oops' }));
    expect(response.status).toBe(403);
  });

  it('gives field-level messages for invalid input', async () => {
    const response = await call(event({ claims: trainerClaims, body: JSON.stringify({ capacity: 'many', extra: 1 }) }));
    expect(response.status).toBe(400);
    const fields = response.body.error.fields;
    expect(fields.capacity).toHaveLength(1);
    expect(fields.body?.[0]).toMatch(/extra/);
  });

  it('validates path parameters under their own names', async () => {
    const response = await call(event({ claims: trainerClaims, pathParameters: { id: 'x' } }));
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toEqual(['path.id']);
  });

  it('answers 400 for malformed JSON and 415 for another content type', async () => {
    const malformed = await call(event({ claims: trainerClaims, body: '{"capacity": ' }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const xml = await call(event({ claims: trainerClaims, headers: { 'content-type': 'application/xml' }, body: '<a/>' }));
    expect(xml.status).toBe(415);
  });

  it('answers 400 when the JSON body is missing', async () => {
    const response = await call(event({ claims: trainerClaims, body: undefined }));
    expect(response.status).toBe(400);
  });

  it('answers 413 for a body over the route\'s limit', async () => {
    const response = await call(event({ claims: trainerClaims, body: JSON.stringify({ capacity: 5, pad: 'x'.repeat(2000) }) }));
    expect(response.status).toBe(413);
  });

  it('maps domain errors to their status with the reason', async () => {
    const response = await call(event({ claims: trainerClaims, body: JSON.stringify({ capacity: 13 }) }));
    expect(response).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', reason: 'unlucky' } } });
  });

  it('hides unexpected errors behind a 500 that tells the user what to do', async () => {
    const response = await call(event({ claims: trainerClaims, body: JSON.stringify({ capacity: 99 }) }));
    expect(response.status).toBe(500);
    const message = response.body.error.message;
    expect(message).not.toMatch(/secret@x\.kz|exploded/);
    expect(message).toMatch(/Try again/);
  });
});

describe('logging of unexpected errors', () => {
  it('never logs the error message, which may quote personal data', async () => {
    const logged = vi.spyOn(logger, 'error');
    try {
      await call(event({ claims: trainerClaims, body: JSON.stringify({ capacity: 99 }) }));
      expect(logged).toHaveBeenCalledWith('Unhandled error', expect.objectContaining({ errorName: 'Error' }));
      expect(JSON.stringify(logged.mock.calls)).not.toMatch(/secret@x\.kz|exploded/);
    } finally {
      logged.mockRestore();
    }
  });
});
