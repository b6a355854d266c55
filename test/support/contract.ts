import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { safeParse } from 'zod/v4/core';
import type { RouteName } from '../../shared/api/contract';
import { statusesOf } from '../../shared/api/openapi';
import { routeList } from '../../shared/manifest';

/**
 * Every response the test helpers see is checked against the declared contract of the route it
 * answers (shared/api): a status the route does not declare, a JSON body its schema refuses, or a
 * file type it does not list fails the request at its call site. So every integration test is
 * also a contract test; each checked answer is logged, and the run fails when a route was never
 * seen succeeding (global-setup.ts, uncoveredRoutes).
 */
const compiled = routeList
  .map((route) => ({
    route,
    pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
    // API Gateway prefers the most specific route: fewer parameters first.
    parameters: (route.path.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.parameters - b.parameters);

export function routeOf(method: string, pathname: string): RouteName | undefined {
  return compiled.find(({ route, pattern }) => route.method === method.toUpperCase() && pattern.test(pathname))?.route.name as RouteName | undefined;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

export interface ObservedResponse {
  status: number;
  contentType: string;
  /** Parsed JSON, when the body is JSON. */
  body: unknown;
  text: string;
}

/** Checks one answer; returns the route it belongs to (undefined outside the manifest). */
export function checkContract(method: string, target: string, response: ObservedResponse): RouteName | undefined {
  const pathname = new URL(target, 'http://local').pathname;
  const name = routeOf(method, pathname);
  if (!name) return undefined;
  const where = `${method} ${pathname} (${name}) answered ${response.status}`;
  const declared = statusesOf(name).get(response.status);
  if (!declared) {
    throw new ContractViolation(`${where}, a status shared/api does not declare for it: declare it or fix the handler. ${response.text.slice(0, 500)}`);
  }
  if (declared.kind === 'error') {
    validate(where, declared.schema, response.body);
  } else if (/json/.test(response.contentType)) {
    if (!declared.reply.schema) throw new ContractViolation(`${where} with a JSON body; it declares ${declared.reply.files?.join(', ') ?? 'no body'}.`);
    validate(where, declared.reply.schema, response.body);
  } else if (response.status !== 204 || declared.reply.schema) {
    const types = declared.reply.files ?? [];
    if (!types.some((type) => response.contentType.startsWith(type))) {
      const expected = [declared.reply.schema ? 'JSON' : '', ...types].filter(Boolean).join(', ') || 'no body';
      throw new ContractViolation(`${where} with content type ${response.contentType || 'none'}; it declares ${expected}.`);
    }
  }
  record(name, response.status);
  return name;
}

function validate(where: string, schema: Parameters<typeof safeParse>[0], body: unknown): void {
  const result = safeParse(schema, body);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new ContractViolation(`${where} with a body its declared schema refuses: ${problems}`);
  }
}

/** Each checked answer, one `name status` line, in the run's log directory (global-setup.ts). */
function record(name: RouteName, status: number): void {
  // Only the stack projects log (global-setup.ts provides the directory); a unit test checks without.
  const directory = inject('contractLogDirectory') as string | undefined;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  appendFileSync(path.join(directory, `${process.pid}.log`), `${name} ${status}\n`);
}
