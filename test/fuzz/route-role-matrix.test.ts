import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/tokens';
import { roles, type Role } from '../../shared/auth/roles';
import { routeList, type RouteDefinition, type routes } from '../../shared/manifest';
import { api, type ApiResponse } from '../support/api';
import { exampleBody } from './examples';
import { answerProblem } from './http';
import { paramNames, realParam } from './hostile';
import { buildWorld, localJwtKey, type Caller, type World } from './world';

/**
 * Who may call what, for every manifest route: generated from the manifest's roles and checked
 * against the running stack. The object-level rules are not in the manifest (they are rules of
 * the use cases), so each route is classified here; the `satisfies` below makes a new manifest
 * entry a type error until it is classified, and then the matrix covers it.
 */
type ObjectRule =
  | { kind: 'none'; why: string }
  | {
      kind: 'object';
      /** Roles whose every caller may act on any object of this route (the rest must own it). */
      openTo?: readonly Role[];
      /** A query the rule is reached with (the body is the route's example in examples.ts). */
      query?: string;
      /** Only the certificate's holder owns it: no trainer, coordinator or admin reads it. */
      holderOnly?: true;
    };

const objectRules = {
  health: { kind: 'none', why: 'public' },
  openApiDocument: { kind: 'none', why: 'public: the API description, the same for everyone' },
  listRegions: { kind: 'none', why: 'public' },
  listTopics: { kind: 'none', why: 'public' },
  createTopic: { kind: 'none', why: 'admins only' },
  renameTopic: { kind: 'none', why: 'admins only' },
  createTraining: { kind: 'none', why: 'the caller becomes the trainer' },
  listTrainings: { kind: 'none', why: 'public' },
  getTraining: { kind: 'none', why: 'public, published trainings only' },
  updateTraining: { kind: 'object' },
  publishTraining: { kind: 'object' },
  cancelTraining: { kind: 'object' },
  myTrainings: { kind: 'none', why: 'the caller’s own' },
  register: { kind: 'object', openTo: ['teachers'] },
  withdrawRegistration: { kind: 'object', openTo: ['teachers'] },
  roster: { kind: 'object' },
  importRegistrations: { kind: 'object' },
  myRegistrations: { kind: 'none', why: 'the caller’s own' },
  recordAttendance: { kind: 'object' },
  importTeamsReport: { kind: 'object' },
  issueCheckInCode: { kind: 'object' },
  checkIn: { kind: 'none', why: 'the code names the session; the caller marks only themselves' },
  attendanceReport: { kind: 'object' },
  feedbackForm: { kind: 'none', why: 'public' },
  submitFeedback: { kind: 'object' },
  feedbackSummary: { kind: 'object' },
  closeFeedback: { kind: 'object' },
  feedbackAnswers: { kind: 'object', query: '?question=influence' },
  closeTraining: { kind: 'object' },
  verifyCertificate: { kind: 'none', why: 'public' },
  certificatePdf: { kind: 'object' },
  issuanceProgress: { kind: 'object' },
  certificatesZip: { kind: 'object' },
  resendCertificate: { kind: 'object' },
  myCertificates: { kind: 'none', why: 'the caller’s own' },
  revokeCertificate: { kind: 'object' },
  reissueCertificate: { kind: 'object' },
  certificateCredential: { kind: 'object' },
  statusList: { kind: 'none', why: 'public' },
  issuerKey: { kind: 'none', why: 'public' },
  designateNationalTrainer: { kind: 'none', why: 'admins only' },
  undesignateNationalTrainer: { kind: 'none', why: 'admins only' },
  regionsReport: { kind: 'none', why: 'a coordinator gets their own region’s row only' },
  regionReport: { kind: 'object' },
  // A cascade crosses regions: any coordinator sees its root and summary, and its own region's nodes.
  cascadeReport: { kind: 'object', openTo: ['coordinators'] },
  multipliersReport: { kind: 'object', query: '?region=REGION' },
  journalReport: { kind: 'object' },
  expiringQualificationsReport: { kind: 'object', query: '?region=REGION' },
  listJournal: { kind: 'none', why: 'the caller’s own' },
  createJournalEntry: { kind: 'none', why: 'the caller becomes the author' },
  getJournalEntry: { kind: 'object' },
  updateJournalEntry: { kind: 'object' },
  deleteJournalEntry: { kind: 'object' },
  shareJournalEntry: { kind: 'object' },
  shareJournalTraining: { kind: 'object' },
  exportJournal: { kind: 'none', why: 'the caller’s own' },
  journalPrompts: { kind: 'none', why: 'the interview questions and a training’s prompts: no one’s own words' },
  setJournalPrompts: { kind: 'object' },
  trainerJournal: { kind: 'object' },
  commentJournalEntry: { kind: 'object' },
  // The survey id names the holder's certificate; to anyone else it does not exist.
  surveyForm: { kind: 'object', holderOnly: true },
  answerSurvey: { kind: 'object' },
  surveyReport: { kind: 'object', query: '?region=REGION' },
  surveyCandidates: { kind: 'object', query: '?region=REGION' },
} as const satisfies Record<keyof typeof routes, ObjectRule>;

let world: World;
/** One caller per role who owns nothing in the world (an admin owns nothing and needs nothing). */
let strangerOf: Record<Role, Caller>;
/** Tokens that must never get past the authorizer. */
let badTokens: { what: string; token: string }[];
let noGroupsToken: string;

function pathOf(route: RouteDefinition): string {
  return paramNames(route).reduce(
    (path, name) => path.replace(`{${name}}`, encodeURIComponent(realParam(route, name, world))),
    route.path,
  );
}

function requestFor(route: RouteDefinition, token: string | undefined): Promise<ApiResponse<{ error?: { code: string } }>> {
  const rule: ObjectRule = objectRules[route.name as keyof typeof objectRules];
  const query = rule.kind === 'object' && rule.query ? rule.query.replace('REGION', world.closedTraining.region) : '';
  // Role and object checks may come after the body's validation: send a well-formed one.
  const example = exampleBody(route.name as keyof typeof routes, world);
  return api(route.method, `${pathOf(route)}${query}`, {
    ...(token ? { token } : {}),
    ...(example && 'json' in example ? { body: example.json } : {}),
    ...(example && 'csv' in example ? { rawBody: example.csv, headers: { 'content-type': 'text/csv' } } : {}),
  });
}

function shapeProblem(response: ApiResponse): string | undefined {
  return answerProblem({ status: response.status, headers: {}, text: response.text });
}

const privateRoutes = routeList.filter((route) => route.access !== 'public');

async function sign(claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expiresAt?: number } = {}) {
  const { privateJwk } = localJwtKey();
  const key = await importJWK(privateJwk as JWK, 'ES256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('7d1f0c2e-0000-4000-a000-000000000001')
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(key);
}

beforeAll(async () => {
  world = await buildWorld();
  strangerOf = { admins: world.owners.admin, trainers: world.strangers.trainer, coordinators: world.strangers.coordinator, teachers: world.strangers.teacher };

  const admin = { email: 'matrix-admin@fuzz.test.kz', name: 'Matrix', 'cognito:groups': ['admins'] };
  const valid = world.owners.admin.token;
  const [header, payload] = valid.split('.');
  const { privateKey: otherKey } = await generateKeyPair('ES256');
  const foreign = await new SignJWT(admin)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('attacker')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setExpirationTime('1h')
    .sign(otherKey);
  const unsignedHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const elevated = Buffer.from(
    JSON.stringify({ ...(JSON.parse(Buffer.from(world.owners.holder.token.split('.')[1]!, 'base64url').toString()) as object), 'cognito:groups': ['admins'] }),
  ).toString('base64url');
  badTokens = [
    { what: 'expired', token: await sign(admin, { expiresAt: Math.floor(Date.now() / 1000) - 60 }) },
    { what: 'signed by another key', token: foreign },
    { what: 'a valid header and payload with a forged signature', token: `${header}.${payload}.${foreign.split('.')[2]}` },
    { what: 'claims raised to admins under the old signature', token: `${world.owners.holder.token.split('.')[0]}.${elevated}.${world.owners.holder.token.split('.')[2]}` },
    { what: 'alg: none', token: `${unsignedHeader}.${payload}.` },
    { what: 'alg: none without the trailing dot', token: `${unsignedHeader}.${payload}` },
    { what: 'the wrong issuer', token: await sign(admin, { issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_other' }) },
    { what: 'the wrong audience', token: await sign(admin, { audience: 'another-app-client' }) },
    { what: 'garbage', token: 'not-a-jwt' },
  ];
  noGroupsToken = await sign({ email: 'nobody@fuzz.test.kz', name: 'Nobody', 'cognito:groups': [] });
}, 120_000);

describe('route × role matrix, from the manifest', () => {
  it('classifies every manifest route (a new one is a type error above, and a failure here)', () => {
    expect(Object.keys(objectRules).sort()).toEqual(routeList.map((route) => route.name).sort());
  });

  it('the mint of subtly wrong tokens works: the same key with the right claims gets through', async () => {
    const good = await sign({ email: 'matrix-admin@fuzz.test.kz', name: 'Matrix', 'cognito:groups': ['admins'] });
    expect((await api('GET', '/api/me/trainings', { token: good })).status).toBe(200);
  });

  it.each(privateRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: 401 without a token and with every bad token',
    async (_name, route) => {
      const answers = await Promise.all([undefined, ...badTokens].map(async (bad) => ({ what: bad?.what ?? 'no token', response: await requestFor(route, bad?.token) })));
      for (const { what, response } of answers) {
        expect(response.status, `${what}: ${response.text}`).toBe(401);
        expect(shapeProblem(response), what).toBeUndefined();
      }
    },
  );

  it.each(privateRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: 403 for every role outside its list, and for an account in no group',
    async (_name, route) => {
      const allowed = route.access === 'public' ? roles : route.access.roles;
      const outside = roles.filter((role) => !allowed.includes(role));
      const tokens = [
        ...outside.map((role) => ({ what: role, token: strangerOf[role].token })),
        { what: 'no group', token: noGroupsToken },
      ];
      for (const { what, token } of tokens) {
        const response = await requestFor(route, token);
        expect(response.status, `${what}: ${response.text}`).toBe(403);
        expect(response.body.error?.code, what).toBe('FORBIDDEN');
        expect(shapeProblem(response), what).toBeUndefined();
      }
    },
  );

  const objectCases = routeList.flatMap((route) => {
    const rule: ObjectRule = objectRules[route.name as keyof typeof objectRules];
    if (rule.kind !== 'object' || route.access === 'public') return [];
    return route.access.roles
      .filter((role): role is Exclude<Role, 'admins'> => role !== 'admins' && !(rule.openTo ?? []).includes(role))
      .map((role) => [`${route.method} ${route.path} as a ${role.replace(/s$/, '')} who does not own it`, route, role] as const);
  });

  it('has object-level rules to check', () => {
    expect(objectCases.length).toBeGreaterThan(20);
  });

  it.each(objectCases)('%s: 403 or 404, never the object', async (_name, route, role) => {
    const response = await requestFor(route, strangerOf[role].token);
    expect([403, 404], `${strangerOf[role].label}: ${response.status} ${response.text.slice(0, 300)}`).toContain(response.status);
    expect(shapeProblem(response)).toBeUndefined();
    for (const secret of [world.certificate.number, world.certificate.verificationCode, world.owners.holder.identity.name, world.registrationId]) {
      expect(response.text, `${route.name} leaks ${secret}`).not.toContain(secret);
    }
  });

  // The owners get through the same requests (reads only, so the world stays as it is): the
  // refusals above are about the caller, not a broken request.
  const ownerReads = routeList.filter((route) => route.method === 'GET' && objectRules[route.name as keyof typeof objectRules].kind === 'object');
  it.each(ownerReads.map((route) => [`${route.method} ${route.path}`, route] as const))('%s: its owners get through', async (_name, route) => {
    const allowed = route.access === 'public' ? roles : route.access.roles;
    // Every role may call /api/me/*, but an object under it is only ever the caller's own: an
    // admin is no owner of someone's journal entry. A holder-only object (a survey) is its holder's alone.
    const mine = route.path.startsWith('/api/me/');
    const rule: ObjectRule = objectRules[route.name as keyof typeof objectRules];
    const holderOnly = rule.kind === 'object' && rule.holderOnly === true;
    const owners: Caller[] = holderOnly ? [world.owners.holder] : allowed.includes('admins') && !mine ? [world.owners.admin] : [];
    if (!holderOnly && allowed.includes('trainers') && !mine && !route.path.startsWith('/api/reports/')) owners.push(world.owners.trainer);
    if (!holderOnly && allowed.includes('coordinators') && !mine) owners.push(world.owners.coordinator);
    // The holder owns their certificate and their journal.
    if (allowed.includes('teachers') && /^\/api\/(certificates|me\/journal)\//.test(route.path)) owners.push(world.owners.holder);
    for (const owner of owners) {
      const response = await requestFor(route, owner.token);
      expect(response.status, `${owner.label}: ${response.text.slice(0, 300)}`).toBeLessThan(300);
    }
  });
});
