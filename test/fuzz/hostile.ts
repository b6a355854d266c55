import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { RouteDefinition, routes } from '../../shared/manifest';
import { exampleBody, type Example } from './examples';
import type { RawRequest } from './http';
import type { Caller, World } from './world';

// ---------------------------------------------------------------------------------------------
// What the code accepts, read from the zod schemas themselves: a new query parameter or body field
// is fuzzed without anyone listing it here.

interface ZodLike {
  _zod: { def: Record<string, unknown> };
}

function isZod(value: unknown): value is ZodLike {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function collectKeys(schema: unknown, into: Set<string>, seen = new Set<unknown>()): void {
  if (!isZod(schema) || seen.has(schema)) return;
  seen.add(schema);
  const def = schema._zod.def;
  for (const [name, value] of Object.entries(def)) {
    if (name === 'shape' && typeof value === 'object' && value !== null) {
      for (const [key, field] of Object.entries(value)) {
        into.add(key);
        collectKeys(field, into, seen);
      }
    } else if (Array.isArray(value)) {
      for (const item of value) collectKeys(item, into, seen);
    } else {
      collectKeys(value, into, seen);
    }
  }
}

export interface Vocabulary {
  /** Every key of every exported `…Query` schema. */
  queryNames: string[];
  /** Every key of every other exported schema (bodies, params, stored items). */
  fieldNames: string[];
}

export async function schemaVocabulary(): Promise<Vocabulary> {
  const directory = path.resolve(import.meta.dirname, '../../shared/schemas');
  const queryNames = new Set<string>();
  const fieldNames = new Set<string>();
  for (const file of fs.readdirSync(directory).filter((name) => name.endsWith('.ts')).sort()) {
    const module = (await import(path.join(directory, file))) as Record<string, unknown>;
    for (const [name, exported] of Object.entries(module)) {
      collectKeys(exported, /query$/i.test(name) ? queryNames : fieldNames);
    }
  }
  return { queryNames: [...queryNames].sort(), fieldNames: [...fieldNames].sort() };
}

// ---------------------------------------------------------------------------------------------
// Values.

const long = (length: number, unit = 'a') => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Path segments as they go on the wire: some deliberately not valid percent-encoding. */
function hostileSegments(world: World): fc.Arbitrary<{ raw: string; note: string }> {
  const otherIds = [
    world.closedTraining.id,
    world.openTrainings[0]!.id,
    world.closedTraining.sessions[0]!.id,
    world.registrationId,
    world.certificate.id,
    world.certificate.verificationCode,
    world.certificate.number,
    world.statusListId,
    world.owners.holder.identity.email,
  ];
  const encoded = (value: string, note: string) => ({ raw: encodeURIComponent(value), note });
  return fc.oneof(
    fc.constantFrom(...otherIds).map((id) => encoded(id, `another entity's id ${id}`)),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).map((id) => encoded(id, 'an unknown id')),
    fc.constantFrom(
      { raw: '..', note: '..' },
      { raw: '.', note: '.' },
      { raw: '%2e%2e', note: 'encoded ..' },
      { raw: '..%2F..%2Fhealth', note: 'encoded traversal' },
      { raw: '%2F', note: 'an encoded slash' },
      { raw: '%00', note: 'a NUL byte' },
      { raw: '%ZZ', note: 'invalid percent-encoding' },
      { raw: '%E0%A4%A', note: 'truncated UTF-8 percent-encoding' },
      { raw: '%C0%AE', note: 'overlong UTF-8' },
      { raw: '%252e%252e', note: 'double-encoded ..' },
      { raw: '%20', note: 'a space' },
      { raw: long(600), note: 'a 600-character segment' },
      { raw: long(600, '%D2%9A'), note: '600 characters of Қ, encoded' },
      { raw: encodeURIComponent('🎓🙂'.repeat(10)), note: 'emoji' },
      { raw: encodeURIComponent('Қазақстан'), note: 'Kazakh letters' },
      { raw: '__proto__', note: '__proto__' },
      { raw: 'constructor', note: 'constructor' },
      { raw: encodeURIComponent("' OR '1'='1"), note: 'an injection' },
      { raw: encodeURIComponent('TRAINING#x'), note: 'a key prefix' },
      { raw: 'me', note: 'me' },
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((text) => encoded(text, 'random text')),
  );
}

function foreignCursors(world: World): string[] {
  const training = world.closedTraining.id;
  const shapes: unknown[] = [
    { pk: `TRAINING#${training}`, sk: 'META' },
    { pk: `TRAINING#${training}`, sk: `REG#${world.registrationId}`, gsi1pk: 'x', gsi1sk: 'y' },
    { pk: `CERT#${world.certificate.id}`, sk: 'META', gsi1pk: 'HOLDER#someone@test.kz', gsi1sk: 'x' },
    { pk: 'TRAINING#x', sk: 'META', gsi1pk: 'REGION#astana', gsi1sk: '2099-01-01' },
    { pk: 'TRAINING#x', sk: 'META', gsi2pk: 'TRAINER#x', gsi2sk: '2099' },
    { pk: 1, sk: 2, gsi1pk: 3, gsi1sk: 4 },
    { pk: { S: 'x' }, sk: { S: 'y' } },
    { __proto__: { polluted: true }, pk: 'a', sk: 'b' },
    { constructor: { prototype: { polluted: true } } },
    [],
    null,
    'string',
    12,
  ];
  return [
    ...shapes.map((shape) => b64(shape)),
    ...world.cursors.flatMap((cursor) => [cursor.slice(0, Math.floor(cursor.length / 2)), cursor.slice(1), `${cursor}A`, cursor.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'))]),
    b64('{"pk":'),
    long(2048, 'A'),
    long(2049, 'A'),
    'not a cursor!',
    '====',
    '',
  ];
}

function hostileQueryValue(world: World): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '', ' ', '0', '-1', '1000000', '1e6', '1.5', 'NaN', 'Infinity', '-Infinity', '0x10', '00001', '9'.repeat(400),
      '9999-99', '2026-13', '2026-00', '0000-01', '9999-12', '2026-1', '2026-02-30', '1970-01',
      '2026-02-30T10:00:00+05:00', '2026-12-01T25:00:00Z', '2026-12-01', 'not-a-date', '9999-12-31T23:59:59+14:00',
      '0001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z',
      'json', 'csv', 'xlsx', 'pdf', 'JSON', 'kk', 'ru', 'en', 'xx', 'almaty', 'astana', 'zz', '__proto__', 'constructor',
      'true', 'null', 'undefined', '[]', '{}', long(5000), '🎓', '=cmd|calc',
    ),
    fc.constantFrom(...foreignCursors(world)),
    fc.string({ maxLength: 30 }),
  );
}

/** Date ranges the wrong way round, empty, enormous, or in different formats at each end. */
const hostileRanges: fc.Arbitrary<[string, string][]> = fc.constantFrom(
  [['from', '2027-01'], ['to', '2026-01']],
  [['from', '2026-12-31T00:00:00+05:00'], ['to', '2026-01-01T00:00:00+05:00']],
  [['from', '1900-01'], ['to', '9999-12']],
  [['from', '0001-01-01T00:00:00Z'], ['to', '9999-12-31T23:59:59Z']],
  [['from', '2026-03'], ['to', '2026-03-31T00:00:00Z']],
  [['from', '9999-99'], ['to', '9999-99']],
  [['from', '2026-05'], ['to', '2026-05']],
  [['from', '2026-05-01T00:00:00Z'], ['to', '2026-05-01T00:00:00Z']],
);

function queryArbitrary(world: World, vocabulary: Vocabulary): fc.Arbitrary<{ query: string; note: string }> {
  const name = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...vocabulary.queryNames) }, fc.constantFrom('__proto__', 'constructor', 'a[b]', '', 'LIMIT'));
  const pairs = fc.oneof(
    fc.array(fc.tuple(name, hostileQueryValue(world)), { minLength: 1, maxLength: 4 }),
    hostileRanges,
    fc.tuple(fc.constantFrom('limit', 'cursor', 'format'), hostileQueryValue(world), hostileQueryValue(world)).map(
      ([key, a, b]): [string, string][] => [[key, a], [key, b]],
    ),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ query: '', note: '' }) },
    {
      weight: 6,
      arbitrary: pairs.map((list) => ({
        query: `?${list.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`,
        note: `query ${list.map(([key, value]) => `${key}=${value.length > 60 ? `${value.slice(0, 60)}…(${value.length})` : value}`).join('&')}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '?&&&', '?=', '?limit', '?%ZZ=1', '?limit=%ZZ', '?cursor=%E0%A4%A', `?x=${long(6000)}`).map((query) => ({
        query,
        note: `raw query ${query.slice(0, 40)}`,
      })),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Bodies.

interface Body {
  text: string | undefined;
  note: string;
  /** The content type the body is meant for (CSV), used unless the headers are the hostile part. */
  contentType?: string;
}

type JsonPath = (string | number)[];

function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return here;
}

type Mutation = 'replace' | 'delete' | 'wrap in an array' | 'repeat 2,000 times' | 'add an unknown key';

/** A copy of `value` with one node changed; the root replaced by an array keeps nothing of it. */
function mutateAt(value: unknown, path: JsonPath, mutation: Mutation, hostile: unknown): unknown {
  if (path.length === 0) {
    if (mutation === 'add an unknown key' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ...value, unexpectedField: hostile };
    }
    if (mutation === 'wrap in an array') return [value];
    if (mutation === 'repeat 2,000 times') return Array.from({ length: 2_000 }, () => value);
    return mutation === 'delete' ? undefined : hostile;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = (value as unknown[]).slice();
    const next = mutateAt(copy[head as number], rest, mutation, hostile);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const record = { ...(value as Record<string, unknown>) };
  const next = mutateAt(record[head as string], rest, mutation, hostile);
  if (next === undefined) delete record[head as string];
  else record[head as string] = next;
  return record;
}

/** The route's well-formed body with one field made hostile, so the rules behind the schema see it. */
function mutatedExample(example: Example): fc.Arbitrary<Body> {
  if ('csv' in example) {
    const [header, ...rows] = example.csv.trimEnd().split('\n');
    return fc
      .oneof(
        hostileCell().map((cell) => ({ text: `${header}\n${rows[0]!.replace(/^[^,]*,[^,]*/, (match) => `${match.split(',')[0]},${cell}`)}\n`, note: `a CSV name ${JSON.stringify(cell.slice(0, 40))}` })),
        hostileCell().map((cell) => ({ text: `${cell}\n${rows.join('\n')}\n`, note: `a CSV header ${JSON.stringify(cell.slice(0, 40))}` })),
        fc.constantFrom(
          { text: `${header}\n${Array.from({ length: 3_000 }, (_, i) => `fuzz-${i}@fuzz.test.kz,Адам ${i},x`).join('\n')}\n`, note: '3,000 rows' },
          { text: `\uFEFF${example.csv}`, note: 'a BOM before the CSV' },
          { text: example.csv.replace(/,/g, ';'), note: 'semicolons' },
          { text: example.csv.replace(/\n/g, '\r\n'), note: 'CRLF' },
          { text: `${header}\n${rows[0]}\n${rows[0]}\n`, note: 'a duplicated row' },
        ),
      )
      .map((body) => ({ ...body, contentType: 'text/csv' }));
  }
  const paths = pathsOf(example.json);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      mutation: fc.constantFrom<Mutation>('replace', 'replace', 'replace', 'delete', 'wrap in an array', 'repeat 2,000 times', 'add an unknown key'),
      hostile: hostileJsonValue(),
    })
    .map(({ path, mutation, hostile }) => {
      const mutated = mutateAt(example.json, path, mutation, hostile);
      const shown = JSON.stringify(hostile) ?? 'undefined';
      return {
        text: mutated === undefined ? '' : JSON.stringify(mutated),
        note: `the example body with ${path.join('.') || 'the root'}: ${mutation}${mutation === 'replace' || mutation === 'add an unknown key' ? ` by ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}` : ''}`,
      };
    });
}

function hostileCell(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '"quoted, with comma"', '"unterminated', '', ' ', 'a'.repeat(5_000), '\u0000', 'Қ'.repeat(300)),
    fc.string({ maxLength: 30 }),
  );
}

function nested(depth: number, open: string, close: string): string {
  return `${open.repeat(depth)}${close.repeat(depth)}`;
}

function hostileJsonValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom<unknown>(
      null, '', ' ', -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, true, 'null', '__proto__', '=HYPERLINK("http://x")', '\u0000', '\uFEFF',
      '2026-02-30T10:00:00+05:00', '9999-99', [], {}, [null], long(10_000), Array.from({ length: 2000 }, (_, i) => i),
    ),
  );
}

function bodyArbitrary(vocabulary: Vocabulary, example?: Example): fc.Arbitrary<Body> {
  const generic = genericBody(vocabulary);
  return example ? fc.oneof({ weight: 3, arbitrary: mutatedExample(example) }, { weight: 2, arbitrary: generic }) : generic;
}

function genericBody(vocabulary: Vocabulary): fc.Arbitrary<Body> {
  const field = fc.constantFrom(...vocabulary.fieldNames);
  const json = (value: unknown, note: string): Body => ({ text: JSON.stringify(value), note });
  return fc.oneof(
    fc.constant<Body>({ text: undefined, note: 'no body' }),
    fc.dictionary(field, hostileJsonValue(), { maxKeys: 8 }).map((value) => json(value, 'known fields, hostile values')),
    fc.jsonValue().map((value) => json(value, 'random JSON')),
    fc.array(fc.dictionary(field, hostileJsonValue(), { maxKeys: 4 }), { maxLength: 3 }).map((value) =>
      json({ records: value, sessions: value, ratings: value[0] ?? {}, answers: value[1] ?? {} }, 'lists of hostile items'),
    ),
    fc.constantFrom<Body>(
      { text: '', note: 'an empty body' },
      { text: ' ', note: 'a blank body' },
      { text: 'hello', note: 'not JSON' },
      { text: '{', note: 'truncated JSON' },
      { text: '{"a":1,}', note: 'a trailing comma' },
      { text: 'null', note: 'JSON null' },
      { text: 'true', note: 'JSON true' },
      { text: '123', note: 'a JSON number' },
      { text: '"text"', note: 'a JSON string' },
      { text: '[]', note: 'a JSON array' },
      { text: '\uFEFF{"fullName":"Айгүл"}', note: 'a BOM before JSON' },
      { text: '{"__proto__":{"isAdmin":true},"fullName":"Айгүл"}', note: '__proto__' },
      { text: '{"constructor":{"prototype":{"isAdmin":true}}}', note: 'constructor.prototype' },
      { text: '{"fullName":"a","fullName":"b"}', note: 'a duplicated key' },
      { text: nested(5_000, '[', ']'), note: 'arrays nested 5,000 deep' },
      { text: nested(40_000, '[', ']'), note: 'arrays nested 40,000 deep' },
      { text: `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`, note: 'objects nested 3,000 deep' },
      { text: JSON.stringify({ title: { kk: long(100 * 1024) }, fullName: long(100 * 1024) }), note: '100 KB strings' },
      { text: JSON.stringify({ fullName: long(90 * 1024, 'Қ') }), note: '90 K characters of Қ' },
      { text: JSON.stringify({ reason: long(60_000) }), note: 'a 60 KB reason' },
      { text: JSON.stringify({ records: Array.from({ length: 5_000 }, () => ({ registrationId: 'x', status: 'present' })) }), note: '5,000 records' },
      { text: 'fullName;school\n=cmd|\' /C calc\'!A0;@SUM(1)\n"unterminated;x\n', note: 'CSV with formulas and an open quote' },
      { text: `${'a,'.repeat(10_000)}\n`, note: 'a 10,000-column CSV line' },
      { text: '\u00ff\u00fe\u0000a', note: 'UTF-16 bytes as text' },
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Headers.

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'text/plain',
  'text/csv',
  'text/csv; charset=windows-1251',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/vc+jwt',
  ';;;',
  '',
] as const;

function headerArbitrary(): fc.Arbitrary<{ headers: [string, string][]; note: string }> {
  return fc
    .record({
      contentType: fc.oneof(
        { weight: 4, arbitrary: fc.constant<string[]>(['application/json']) },
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 3, arbitrary: fc.constantFrom<string>(...contentTypes).map((type) => [type]) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom<string>(...contentTypes), fc.constantFrom<string>(...contentTypes)).map(([a, b]) => [a, b]) },
      ),
      accept: fc.constantFrom<string[]>([], [], ['application/vc+jwt'], ['text/csv'], ['*/*'], ['application/json', 'application/vc+jwt'], ['application/vc+jwt; q=0, */*;q=0.1']),
      extra: fc.constantFrom<[string, string][]>(
        [],
        [],
        [],
        [['x-forwarded-for', '1.2.3.4, 5.6.7.8']],
        [['x-amzn-trace-id', 'Root=1-abc']],
        // Node refuses more than 16 KB of headers with a bare 431 before the gateway sees them.
        [['x-padding', long(4_000)]],
        [['origin', 'https://evil.example']],
        [['cookie', 'a=b']],
      ),
    })
    .map(({ contentType, accept, extra }) => ({
      headers: [
        ...contentType.map((type): [string, string] => ['content-type', type]),
        ...accept.map((value): [string, string] => ['accept', value]),
        ...extra,
      ],
      note: [
        contentType.length === 1 && contentType[0] === 'application/json' ? '' : `content-type ${JSON.stringify(contentType)}`,
        accept.length ? `accept ${JSON.stringify(accept)}` : '',
        extra.length ? `header ${extra[0]![0]}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    }));
}

// ---------------------------------------------------------------------------------------------
// Requests.

/** The value a path parameter takes when it is not the hostile part: a real object of the world. */
export function realParam(route: RouteDefinition, name: string, world: World): string {
  switch (name) {
    case 'id':
      return route.path.startsWith('/api/certificates/') ? world.certificate.id : world.closedTraining.id;
    case 'trainingId':
      return world.closedTraining.id;
    case 'sessionId':
      return world.closedTraining.sessions[0]!.id;
    case 'region':
      return world.closedTraining.region;
    case 'code':
      return world.certificate.verificationCode;
    case 'listId':
      return world.statusListId;
    case 'email':
      return world.owners.trainer.identity.email;
    case 'entryId':
      return world.journalEntryId;
    case 'surveyId':
      return world.surveyId;
    default:
      throw new Error(`The fuzz world has no real value for path parameter {${name}} of ${route.name}; add one in realParam.`);
  }
}

export function paramNames(route: RouteDefinition): string[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

/** Callers worth trying: for a public route anyone, for the others every caller of an allowed role. */
export function callersOf(route: RouteDefinition, world: World): (Caller | undefined)[] {
  const everyone = [...Object.values(world.owners), ...Object.values(world.strangers)];
  if (route.access === 'public') return [undefined, ...everyone];
  const allowed = route.access.roles;
  return everyone.filter((caller) => caller.identity.groups.some((role) => allowed.includes(role)));
}

export function requestArbitrary(route: RouteDefinition, world: World, vocabulary: Vocabulary): fc.Arbitrary<RawRequest> {
  const params = paramNames(route);
  const paramArbitraries = params.map((name) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant({ raw: encodeURIComponent(realParam(route, name, world)), note: '' }) },
      { weight: 3, arbitrary: hostileSegments(world) },
    ),
  );
  const hasBody = route.method !== 'GET';
  const example = exampleBody(route.name as keyof typeof routes, world);
  return fc
    .record({
      caller: fc.constantFrom(...callersOf(route, world)),
      segments: fc.tuple(...paramArbitraries),
      query: queryArbitrary(world, vocabulary),
      body: hasBody ? bodyArbitrary(vocabulary, example) : fc.oneof({ weight: 9, arbitrary: fc.constant<Body>({ text: undefined, note: '' }) }, bodyArbitrary(vocabulary)),
      headers: headerArbitrary(),
      authorization: fc.constantFrom('bearer', 'bearer', 'bearer', 'bearer', 'twice', 'scheme in lower case', 'no token'),
    })
    .map(({ caller, segments, query, body, headers, authorization }) => {
      let index = 0;
      const pathname = route.path.replace(/\{\w+\}/g, () => segments[index++]!.raw);
      // A body meant for another content type gets it, unless the content type is the hostile part.
      const allHeaders: [string, string][] =
        body.contentType && headers.note === ''
          ? headers.headers.map(([name, value]): [string, string] => [name, name === 'content-type' ? body.contentType! : value])
          : [...headers.headers];
      if (caller && authorization !== 'no token') {
        allHeaders.push(['authorization', `${authorization === 'scheme in lower case' ? 'bearer' : 'Bearer'} ${caller.token}`]);
        if (authorization === 'twice') allHeaders.push(['authorization', 'Bearer not.a.token']);
      }
      const notes = [
        ...segments.map((segment, position) => (segment.note ? `{${params[position]}} = ${segment.note}` : '')),
        query.note,
        body.text !== undefined || hasBody ? body.note : '',
        headers.note,
        caller && authorization !== 'bearer' ? `authorization: ${authorization}` : '',
      ].filter(Boolean);
      return {
        method: route.method,
        target: `${pathname}${query.query}`,
        headers: allHeaders,
        ...(body.text !== undefined ? { body: Buffer.from(body.text, 'utf8') } : {}),
        caller: caller ? caller.label : 'anonymous',
        note: notes.join('; ') || 'nothing (a well-formed request)',
      };
    });
}

/** Where a target would land after the gateway resolves dot segments: never one of the local control routes. */
export function landsOnLocalRoute(target: string): boolean {
  return new URL(target, 'http://localhost').pathname.startsWith('/api/local');
}
