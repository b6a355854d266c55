import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';
import { areas, type RouteName } from '../../shared/api/contract';
import { openApiText, statusesOf } from '../../shared/api/openapi';
import { areaOf, requestsByArea } from '../../shared/api/requests';
import { responseAreas } from '../../shared/api/responses';
import { routeList, type RouteDefinition } from '../../shared/manifest';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  'x-roles'?: string[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, unknown>;
}

const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
const document = JSON.parse(committed) as Json & { paths: Record<string, Record<string, Operation>> };

function operationOf(route: RouteDefinition): Operation {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${route.method} ${route.path} is not in the document`);
  return operation;
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

function resolve(pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Json)[part] : undefined), document);
}

describe('the OpenAPI document', () => {
  it('is committed as npm run openapi writes it (run it after changing a route or shared/api)', () => {
    expect(committed).toBe(openApiText(packageJson.version));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator is not a rubber stamp: a document without info is refused.
    const { info: _info, ...withoutInfo } = document;
    expect((await new Validator().validate(withoutInfo)).valid).toBe(false);
  });

  it('describes every manifest route once, named by the route, with a summary and its area as tag', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(routeList.length);
    for (const route of routeList) {
      const operation = operationOf(route);
      expect(operation.operationId).toBe(route.name);
      expect(operation.summary, route.name).toMatch(/\S/);
      expect(operation.tags).toEqual([areaOf(route.name as RouteName)]);
    }
  });

  it('declares every path parameter of every route', () => {
    for (const route of routeList) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operationOf(route).parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(declared.map((parameter) => parameter.name), route.name).toEqual(names);
      expect(declared.every((parameter) => parameter.required === true), route.name).toBe(true);
    }
  });

  it('asks for the JWT and names the roles on every route but the public ones', () => {
    for (const route of routeList) {
      const operation = operationOf(route);
      if (route.access === 'public') {
        expect(operation.security, route.name).toEqual([]);
      } else {
        expect(operation.security, route.name).toEqual([{ jwt: [] }]);
        expect(operation['x-roles'], route.name).toEqual(route.access.roles);
      }
    }
  });

  it('gives every route a 2xx and the 4xx it can answer', () => {
    for (const route of routeList) {
      const statuses = Object.keys(operationOf(route).responses ?? {}).map(Number);
      expect(statuses.some((status) => status >= 200 && status < 300), route.name).toBe(true);
      expect(statuses.sort(), route.name).toEqual([...statusesOf(route.name as RouteName).keys()].sort());
      if (route.access !== 'public') expect(statuses, route.name).toEqual(expect.arrayContaining([401, 403]));
    }
  });

  it('resolves every $ref', () => {
    const refs = [...new Set(refsIn(document))];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => resolve(ref) === undefined)).toEqual([]);
  });
});

describe('shared/api', () => {
  it('declares each route’s requests and responses in the same area', () => {
    for (const area of areas) {
      expect(Object.keys(requestsByArea[area]).sort(), area).toEqual([...responseAreas[area]].sort());
    }
  });
});
