import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { InvalidCursorError } from '../../shared/errors';
import { cursorBinding, sealCursor, unsealCursor } from '../../shared/http/cursors';
import { defineRoute } from '../../shared/http/route';
import type { RouteDefinition } from '../../shared/manifest';
import { cursorSchema } from '../../shared/schemas/common';
import { forgetCursorKey } from '../../shared/secrets/cursor-key';

const key = new TextEncoder().encode('k'.repeat(48));
const otherKey = new TextEncoder().encode('q'.repeat(48));
const binding = cursorBinding({ route: 'roster', pathParameters: { id: 't1' }, query: { format: 'json' }, caller: 'sub-1' });
const storeCursor = Buffer.from(JSON.stringify({ pk: 'TRAINING#t1', sk: 'REG#r9' })).toString('base64url');

describe('sealed cursors', () => {
  it('open to the store cursor they sealed, for the same binding and key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string(), (raw, scope) => {
        expect(unsealCursor(sealCursor(raw, scope, key), scope, key)).toBe(raw);
      }),
    );
  });

  it('are opaque: nothing of the key inside shows, and two seals of one cursor differ', () => {
    const a = sealCursor(storeCursor, binding, key);
    const b = sealCursor(storeCursor, binding, key);
    expect(a).not.toBe(b);
    for (const sealed of [a, b]) {
      expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toMatch(/TRAINING|REG#|t1/);
      expect(sealed).not.toContain(storeCursor.slice(0, 8));
    }
  });

  it('refuse any change of any character, a truncation or an extension', () => {
    const sealed = sealCursor(storeCursor, binding, key);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...'ABCabc019-_'), (position, replacement) => {
        fc.pre(sealed[position] !== replacement);
        const tampered = `${sealed.slice(0, position)}${replacement}${sealed.slice(position + 1)}`;
        expect(() => unsealCursor(tampered, binding, key)).toThrow(InvalidCursorError);
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), (length) => {
        expect(() => unsealCursor(sealed.slice(0, length), binding, key)).toThrow(InvalidCursorError);
      }),
    );
    expect(() => unsealCursor(`${sealed}A`, binding, key)).toThrow(InvalidCursorError);
    expect(() => unsealCursor(`${sealed}AA`, binding, key)).toThrow(InvalidCursorError);
  });

  it('refuse another route, path, query, caller or key', () => {
    const sealed = sealCursor(storeCursor, binding, key);
    const others = [
      cursorBinding({ route: 'attendanceReport', pathParameters: { id: 't1' }, query: { format: 'json' }, caller: 'sub-1' }),
      cursorBinding({ route: 'roster', pathParameters: { id: 't2' }, query: { format: 'json' }, caller: 'sub-1' }),
      cursorBinding({ route: 'roster', pathParameters: { id: 't1' }, query: { format: 'csv' }, caller: 'sub-1' }),
      cursorBinding({ route: 'roster', pathParameters: { id: 't1' }, query: {}, caller: 'sub-1' }),
      cursorBinding({ route: 'roster', pathParameters: { id: 't1' }, query: { format: 'json' }, caller: 'sub-2' }),
      cursorBinding({ route: 'roster', pathParameters: { id: 't1' }, query: { format: 'json' } }),
    ];
    for (const other of others) expect(() => unsealCursor(sealed, other, key), other).toThrow(InvalidCursorError);
    expect(() => unsealCursor(sealed, binding, otherKey)).toThrow(InvalidCursorError);
  });

  it('refuse what a client could make up: the bare store cursor, base64 JSON, garbage, oversize', () => {
    const madeUp = [
      storeCursor,
      Buffer.from(JSON.stringify({ pk: 'TRAINING#other', sk: 'REG#x' })).toString('base64url'),
      '',
      '!!!',
      'a.b',
      'AQ',
      'A'.repeat(3000),
      Buffer.concat([Buffer.from([1]), Buffer.alloc(40)]).toString('base64url'),
    ];
    for (const cursor of madeUp) expect(() => unsealCursor(cursor, binding, key), cursor.slice(0, 40)).toThrow(InvalidCursorError);
  });

  it('bind to the query whatever the parameters’ order, but not to the cursor or the page size', () => {
    const a = cursorBinding({ route: 'r', query: { region: 'almaty', language: 'kk', limit: '5', cursor: 'x' } });
    const b = cursorBinding({ route: 'r', query: { language: 'kk', region: 'almaty', limit: '50' } });
    expect(a).toBe(b);
    expect(cursorBinding({ route: 'r', query: { region: 'almaty' } })).not.toBe(b);
  });

  it('the error says what to do: start from the first page', () => {
    const error = new InvalidCursorError();
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', reason: 'invalid_cursor' });
    expect(error.message).toMatch(/first page/);
    expect(error.fields).toEqual({ 'query.cursor': [expect.any(String)] });
  });
});

describe('a paging route', () => {
  const pagingRoute = {
    name: 'testPages',
    method: 'GET',
    path: '/api/test/{id}/items',
    handler: 'unused',
    access: 'public',
    permissions: { cursorKey: true },
  } as const satisfies RouteDefinition;
  const seen: (string | undefined)[] = [];
  const handler = defineRoute(
    pagingRoute,
    { query: z.object({ cursor: z.optional(cursorSchema), region: z.string().optional() }) },
    async ({ query }) => {
      seen.push(query.cursor);
      return { status: 200, body: { items: [], nextCursor: storeCursor } };
    },
  );
  const unsealedRoute = { ...pagingRoute, name: 'testLeaks', permissions: {} } as const satisfies RouteDefinition;
  const leaking = defineRoute(unsealedRoute, {}, async () => ({ status: 200, body: { items: [], nextCursor: storeCursor } }));
  const context = { awsRequestId: 'req-1', functionName: 'test', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
  const event = (query: Record<string, string>, id = 'abc') =>
    ({
      version: '2.0',
      rawPath: `/api/test/${id}/items`,
      headers: {},
      pathParameters: { id },
      queryStringParameters: query,
      isBase64Encoded: false,
      requestContext: { requestId: 'req-1', http: { method: 'GET', path: `/api/test/${id}/items` } },
    }) as unknown as APIGatewayProxyEventV2;
  const call = async (input: APIGatewayProxyEventV2, route = handler) => {
    const result = (await route(input, context)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as { nextCursor?: string; error?: { reason?: string; message: string } } };
  };

  beforeAll(() => {
    process.env.CURSOR_SECRET = 'a-test-cursor-secret-of-enough-length-0123456789';
    forgetCursorKey();
  });
  afterAll(() => {
    delete process.env.CURSOR_SECRET;
    forgetCursorKey();
  });

  it('hands out a sealed cursor and gives the use case back the store cursor', async () => {
    const first = await call(event({ region: 'almaty' }));
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).not.toBe(storeCursor);
    const second = await call(event({ region: 'almaty', cursor: first.body.nextCursor!, limit: '7' }));
    expect(second.status).toBe(200);
    expect(seen.at(-1)).toBe(storeCursor);
  });

  it('answers 400 invalid_cursor to a cursor of another query or path, or a bare store cursor', async () => {
    const { body } = await call(event({ region: 'almaty' }));
    for (const input of [event({ region: 'astana', cursor: body.nextCursor! }), event({ region: 'almaty', cursor: body.nextCursor! }, 'other'), event({ cursor: storeCursor })]) {
      const refused = await call(input);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.reason).toBe('invalid_cursor');
      expect(refused.body.error?.message).toMatch(/first page/);
    }
  });

  it('refuses to hand out a cursor unsealed: a route that pages without the cursor key is a 500, not a leak', async () => {
    const result = await call(event({}), leaking);
    expect(result.status).toBe(500);
    expect(JSON.stringify(result.body)).not.toContain(storeCursor);
  });
});
