import * as z from '../schemas/zod';
import type { $ZodType } from 'zod/v4/core';
import type { RouteSpec } from '../http/route';
import { routeList, routes, type RouteDefinition } from '../manifest';
import { areas, type Area, type RouteName } from './contract';
import { errorBodySchema, gatewayErrorSchema } from './errors';
import { components, type Reply, type RouteResponses } from './reply';
import { areaOf, requestOf } from './requests';
import { responses } from './responses';

type JsonSchema = Record<string, unknown>;

/** What a status of a route carries: a success reply, or the error body (with the gateway's own for 401/413). */
export type StatusSpec = { kind: 'success'; reply: Reply } | { kind: 'error'; schema: $ZodType };

const errorMeanings: Record<number, string> = {
  400: 'A path, query or body value is not valid; `error.fields` names each one.',
  401: 'Not signed in, or the token has expired (the JWT authorizer answers before the function runs).',
  403: 'Signed in without a role this route allows, or not one who may act on this object.',
  404: 'No such object, or not one the caller may see.',
  409: 'The object is not in a state that allows this; `error.reason` says which.',
  410: 'The object existed and is gone for good (a revoked certificate).',
  413: 'The request body is larger than this route accepts.',
  415: 'The body is not of the content type this route takes.',
  429: 'Too soon to do this again; `error.details.retryAfter` says when.',
};

const errorOrGateway = z.union([errorBodySchema, gatewayErrorSchema]);

function takesBody(spec: RouteSpec): boolean {
  return spec.body !== undefined;
}

/**
 * Every status a route can answer, and what it carries: the success replies it declares, the
 * domain errors it lists, and the errors that follow from the manifest and its request spec.
 * The one rule both the document and the contract tests read.
 */
export function statusesOf(name: RouteName): Map<number, StatusSpec> {
  const route: RouteDefinition = routes[name];
  const spec = requestOf(name);
  const declared: RouteResponses = responses[name];
  const statuses = new Map<number, StatusSpec>();
  for (const [status, reply] of Object.entries<Reply>(declared.success)) {
    statuses.set(Number(status), { kind: 'success', reply });
  }
  const error = (status: number, schema: $ZodType = errorBodySchema) => statuses.set(status, { kind: 'error', schema });
  if (spec.params || spec.query || spec.body) error(400);
  if (route.access !== 'public') {
    error(401, errorOrGateway);
    error(403);
  }
  if (takesBody(spec)) {
    error(413, errorOrGateway);
    error(415);
  }
  for (const status of declared.errors) error(status);
  return statuses;
}

/**
 * Named schemas (shared/api/reply.ts `named`) met while converting, for components.schemas.
 * Filled by jsonSchema; the document is built in one synchronous pass.
 */
let collected: Record<string, JsonSchema> = {};

const LOCAL_DEF = '#/$defs/';

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(LOCAL_DEF)
        ? [key, `#/components/schemas/${inner.slice(LOCAL_DEF.length)}`]
        : [key, toComponentRefs(inner)],
    ),
  );
}

function jsonSchema(schema: $ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements and transforms have no JSON Schema form; the document shows the shape they check.
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: components }) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = toComponentRefs(converted) as JsonSchema;
  for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const known = collected[id];
    if (known && JSON.stringify(known) !== JSON.stringify(definition)) {
      throw new Error(`Component ${id} converts differently in two places (request and response?); name only response schemas.`);
    }
    collected[id] = definition;
  }
  return rest;
}

function properties(schema: $ZodType | undefined): { props: Record<string, JsonSchema>; required: string[] } {
  if (!schema) return { props: {}, required: [] };
  const json = jsonSchema(schema, 'input');
  // A refined or preprocessed object keeps its shape under allOf/anyOf only for unions, not here.
  return { props: (json.properties ?? {}) as Record<string, JsonSchema>, required: (json.required ?? []) as string[] };
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

function parameters(route: RouteDefinition, spec: RouteSpec): JsonSchema[] {
  const path = properties(spec.params);
  const query = properties(spec.query);
  const described = (schema: JsonSchema | undefined) => {
    if (!schema) return { schema: { type: 'string' } };
    const { description, ...rest } = schema;
    return { schema: rest, ...(typeof description === 'string' ? { description } : {}) };
  };
  return [
    ...pathParameterNames(route.path).map((name) => ({ name, in: 'path', required: true, ...described(path.props[name]) })),
    ...Object.entries(query.props).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required.includes(name) && !('default' in schema),
      ...described(schema),
    })),
  ];
}

function requestBody(spec: RouteSpec): JsonSchema | undefined {
  if (!spec.body) return undefined;
  if (spec.bodyFormat === 'text') {
    return { required: true, content: { 'text/csv': { schema: { type: 'string', minLength: 1 } } } };
  }
  return { required: spec.bodyOptional !== true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } };
}

const textual = /^text\/|\+json$|json$/;

function fileContent(types: readonly string[] | undefined): Record<string, JsonSchema> {
  return Object.fromEntries(
    (types ?? []).map((type) => [type, { schema: textual.test(type) ? { type: 'string' } : { type: 'string', contentEncoding: 'binary' } }]),
  );
}

function responseObjects(name: RouteName): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, spec] of [...statusesOf(name)].sort(([a], [b]) => a - b)) {
    if (spec.kind === 'error') {
      out[status] = { $ref: `#/components/responses/${spec.schema === errorBodySchema ? `Error${status}` : `GatewayError${status}`}` };
      continue;
    }
    const { reply } = spec;
    // Response bodies are described as they are read (io input): an answer may carry more fields.
    // A `+json` file type (application/jwk+json) is the media type of the JSON body itself.
    const jsonType = reply.files?.find((type) => type.endsWith('+json')) ?? 'application/json';
    const content = {
      ...(reply.schema ? { [jsonType]: { schema: jsonSchema(reply.schema, 'input') } } : {}),
      ...fileContent(reply.files?.filter((type) => type !== jsonType)),
    };
    out[status] = { description: reply.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  return out;
}

/** `listTrainings` → `List trainings`. */
function summaryOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const areaDescriptions: Record<Area, string> = {
  public: 'Health, the region list and this document.',
  topics: 'The topic vocabulary trainings are filed under.',
  trainings: 'Scheduling, publishing, cancelling and closing trainings.',
  me: 'The caller’s own trainings, registrations and certificates.',
  registrations: 'Registering, withdrawing, rosters and CSV imports.',
  attendance: 'Marks, check-in codes, Teams reports and the attendance grid.',
  feedback: 'The anonymous feedback form and its released summary.',
  certificates: 'Verification, PDFs, Open Badges, revocation and reissue.',
  reports: 'Aggregate reports for coordinators and admins.',
  journal: 'The teachers’ reflective journal and the trainers’ comments.',
  surveys: 'The follow-up impact survey a certified teacher answers months after the training.',
};

function errorResponses(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, description] of Object.entries(errorMeanings)) {
    out[`Error${status}`] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  for (const status of [401, 413]) {
    out[`GatewayError${status}`] = {
      description: errorMeanings[status],
      content: { 'application/json': { schema: { anyOf: [{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/GatewayError' }] } } },
    };
  }
  return out;
}

/** The OpenAPI 3.1 document: the manifest's routes with the declarations of shared/api. */
export function openApiDocument(version: string): JsonSchema {
  collected = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routeList) {
    const name = route.name as RouteName;
    const spec = requestOf(name);
    const roleList = route.access === 'public' ? [] : route.access.roles;
    const body = requestBody(spec);
    const params = parameters(route, spec);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: name,
      summary: summaryOf(name),
      description: route.access === 'public' ? 'Public: no token needed.' : `Roles: ${roleList.join(', ')}.`,
      tags: [areaOf(name)],
      ...(route.access === 'public' ? { security: [] } : { security: [{ jwt: [] }], 'x-roles': roleList }),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responseObjects(name),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cascade training platform API',
      version,
      description:
        'Scheduling, registration, attendance, feedback and certificates for the "Teachers as Leaders" cascade. ' +
        'Generated from shared/manifest.ts and shared/api (npm run openapi). Every error answers the `Error` body.',
    },
    servers: [{ url: '/' }],
    security: [{ jwt: [] }],
    tags: areas.map((area) => ({ name: area, description: areaDescriptions[area] })),
    paths,
    components: {
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito ID token; its `cognito:groups` claim carries the roles named in each operation (`x-roles`).',
        },
      },
      schemas: {
        Error: jsonSchema(errorBodySchema, 'output'),
        GatewayError: jsonSchema(gatewayErrorSchema, 'output'),
        ...Object.fromEntries(Object.entries(collected).sort(([a], [b]) => a.localeCompare(b))),
      },
      responses: errorResponses(),
    },
  };
}

/** The document as committed: stable key order, two-space indent, a final newline. */
export function openApiText(version: string): string {
  return `${JSON.stringify(openApiDocument(version), null, 2)}\n`;
}
