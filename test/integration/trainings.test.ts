import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import type { Training } from '../../shared/schemas/training';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/tokens';
import { accounts, api, call, resetClock, setClock, tokenFor, trainingBody, uniqueAccount } from '../support/api';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]>; reason?: string } };
type ListBody = { items: Training[]; nextCursor?: string };

let trainer: string;
let otherTrainer: string;
let teacher: string;
let admin: string;

beforeAll(async () => {
  [trainer, otherTrainer, teacher, admin] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor(uniqueAccount('trainers', 'Бақыт Сәрсенов')),
    tokenFor(uniqueAccount('teachers', 'Айгүл Жұмабекқызы')),
    tokenFor(uniqueAccount('admins')),
  ]);
});

afterEach(async () => {
  await resetClock();
});

async function createDraft(overrides: Record<string, unknown> = {}, token = trainer): Promise<Training> {
  const response = await api<Training>('POST', '/api/trainings', { token, body: trainingBody(overrides) });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

describe('scheduling through the gateway', () => {
  it('a trainer creates, edits and publishes a training, which then appears in its region\'s public list', async () => {
    const draft = await createDraft({ region: 'shymkent', title: { kk: 'Қазақ тілі: ә, ғ, қ, ң, ө, ұ, ү, һ, і' } });
    expect(draft).toMatchObject({ status: 'draft', region: 'shymkent', completionThreshold: 0.8, feedbackRequired: true });
    expect(draft.sessions.every((session) => typeof session.id === 'string' && session.id.length > 0)).toBe(true);

    const publicBefore = await api<ListBody>('GET', '/api/trainings?region=shymkent');
    expect(publicBefore.body.items.map((t) => t.id)).not.toContain(draft.id);
    expect((await api('GET', `/api/trainings/${draft.id}`)).status).toBe(404);

    const edited = await api<Training>('PATCH', `/api/trainings/${draft.id}`, {
      token: trainer,
      body: { capacity: 30, sessions: [{ ...draft.sessions[0]!, venue: 'Шымкент, №5 мектеп' }, ...draft.sessions.slice(1)] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.capacity).toBe(30);
    expect(edited.body.sessions.map((s) => s.id)).toEqual(draft.sessions.map((s) => s.id));

    const published = await api<Training>('POST', `/api/trainings/${draft.id}/publish`, { token: trainer });
    expect(published.status, published.text).toBe(200);
    expect(published.body.status).toBe('published');

    const listed = await api<ListBody>('GET', '/api/trainings?region=shymkent');
    const found = listed.body.items.find((t) => t.id === draft.id);
    expect(found?.title.kk).toBe('Қазақ тілі: ә, ғ, қ, ң, ө, ұ, ү, һ, і');
    expect(found?.trainer, 'the public list must not expose the trainer\'s email or account id').toEqual({ name: 'Ерлан Әбенов' });
    expect((await api<ListBody>('GET', '/api/trainings?region=astana')).body.items.map((t) => t.id)).not.toContain(draft.id);
    expect((await api<ListBody>('GET', '/api/trainings')).body.items.map((t) => t.id)).toContain(draft.id);
    expect((await api<Training>('GET', `/api/trainings/${draft.id}`)).body.capacity).toBe(30);

    const mine = await api<ListBody>('GET', '/api/me/trainings', { token: trainer });
    expect(mine.body.items.map((t) => t.id)).toContain(draft.id);
  });

  it('filters the public list by language and dates, and pages through it', async () => {
    const region = 'kyzylorda';
    const created: Training[] = [];
    for (const [language, inDays] of [['ru', 30], ['kk', 31], ['ru', 32], ['ru', 33]] as const) {
      const response = await api<Training>('POST', '/api/trainings', {
        token: trainer,
        body: trainingBody({ region, language }, Date.now(), inDays),
      });
      created.push(response.body);
      await api('POST', `/api/trainings/${response.body.id}/publish`, { token: trainer });
    }
    const russian = await api<ListBody>('GET', `/api/trainings?region=${region}&language=ru`);
    expect(russian.body.items.map((t) => t.id)).toEqual([created[0]!.id, created[2]!.id, created[3]!.id]);

    const from = encodeURIComponent(new Date(Date.now() + 30.5 * 86_400_000).toISOString());
    const to = encodeURIComponent(new Date(Date.now() + 32.5 * 86_400_000).toISOString());
    const window = await api<ListBody>('GET', `/api/trainings?region=${region}&from=${from}&to=${to}`);
    expect(window.body.items.map((t) => t.id)).toEqual([created[1]!.id, created[2]!.id]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: { body: ListBody } = await api<ListBody>(
        'GET',
        `/api/trainings?region=${region}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created.map((t) => t.id));
  });

  it('does not let a teacher create a training', async () => {
    const response = await api<ErrorBody>('POST', '/api/trainings', { token: teacher, body: trainingBody() });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/ask an administrator/);
  });

  it('lets only the training\'s trainer or an admin edit or publish it', async () => {
    const draft = await createDraft();
    expect((await api('PATCH', `/api/trainings/${draft.id}`, { token: otherTrainer, body: { capacity: 3 } })).status).toBe(403);
    expect((await api('POST', `/api/trainings/${draft.id}/publish`, { token: otherTrainer })).status).toBe(403);
    expect((await api('PATCH', `/api/trainings/${draft.id}`, { token: admin, body: { capacity: 3 } })).status).toBe(200);
  });

  it('refuses to edit a published training and to publish one whose sessions have begun', async () => {
    const draft = await createDraft();
    await setClock(new Date(Date.parse(draft.sessions[0]!.startsAt) + 60_000));
    const late = await api<ErrorBody>('POST', `/api/trainings/${draft.id}/publish`, { token: trainer });
    expect(late.status).toBe(400);
    expect(late.body.error.fields?.['sessions.0.startsAt']).toBeDefined();
    await resetClock();

    expect((await api('POST', `/api/trainings/${draft.id}/publish`, { token: trainer })).status).toBe(200);
    const edit = await api<ErrorBody>('PATCH', `/api/trainings/${draft.id}`, { token: trainer, body: { capacity: 3 } });
    expect(edit.status).toBe(409);
    expect(edit.body.error.reason).toBe('not_draft');
  });

  it('cancels a training and removes it from the public list', async () => {
    const draft = await createDraft({ region: 'ulytau' });
    await api('POST', `/api/trainings/${draft.id}/publish`, { token: trainer });
    const cancelled = await api<Training>('POST', `/api/trainings/${draft.id}/cancel`, { token: trainer, body: { reason: 'Су тасқыны' } });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await api<ListBody>('GET', '/api/trainings?region=ulytau')).body.items.map((t) => t.id)).not.toContain(draft.id);
    expect((await api('POST', `/api/trainings/${draft.id}/cancel`, { token: trainer })).status).toBe(409);
  });
});

describe('bad input gets a 4xx with field-level messages, never a 5xx', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['wrong types', { capacity: 'twenty', level: '2' }, 'capacity'],
    ['unknown region', { region: 'atlantis' }, 'region'],
    ['capacity out of range', { capacity: 10_001 }, 'capacity'],
    ['no title in any language', { title: {} }, 'title'],
    ['a session without offset', { sessions: [{ startsAt: '2030-01-01T10:00:00', endsAt: '2030-01-01T12:00:00' }] }, 'sessions.0.startsAt'],
    ['no sessions', { sessions: [] }, 'sessions'],
    ['threshold above 1', { completionThreshold: 1.5 }, 'completionThreshold'],
    ['an unknown field', { colour: 'blue' }, 'body'],
  ];
  it.each(cases)('%s', async (_name, overrides, field) => {
    const response = await api<ErrorBody>('POST', '/api/trainings', { token: trainer, body: trainingBody(overrides) });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.fields?.[field], JSON.stringify(response.body.error.fields)).toBeDefined();
  });

  it('missing fields are each named', async () => {
    const response = await api<ErrorBody>('POST', '/api/trainings', { token: trainer, body: { title: { en: 'x' } } });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields ?? {})).toEqual(
      expect.arrayContaining(['topic', 'language', 'region', 'level', 'hours', 'capacity', 'sessions']),
    );
  });

  it('overlapping sessions', async () => {
    const body = trainingBody();
    const overlapping = { ...body, sessions: [body.sessions[0], { ...body.sessions[0] }] };
    const response = await api<ErrorBody>('POST', '/api/trainings', { token: trainer, body: overlapping });
    expect(response.status).toBe(400);
    expect(response.body.error.fields?.['sessions.1.startsAt']?.[0]).toMatch(/overlaps/);
  });

  it('a session that ends before it starts', async () => {
    const body = trainingBody();
    const session = body.sessions[0]!;
    const response = await api<ErrorBody>('POST', '/api/trainings', {
      token: trainer,
      body: { ...body, sessions: [{ startsAt: session.endsAt, endsAt: session.startsAt }] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields?.['sessions.0.endsAt']).toBeDefined();
  });

  it('a 1 MB body', async () => {
    const response = await api<ErrorBody>('POST', '/api/trainings', {
      token: trainer,
      body: trainingBody({ description: 'ә'.repeat(512 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.message).toMatch(/at most/);
  });

  it('non-JSON', async () => {
    const response = await api<ErrorBody>('POST', '/api/trainings', {
      token: trainer,
      rawBody: 'title=x',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const form = await api<ErrorBody>('POST', '/api/trainings', {
      token: trainer,
      rawBody: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });

  it('a malformed list query', async () => {
    const response = await api<ErrorBody>('GET', '/api/trainings?region=nowhere&limit=0&cursor=%21%21');
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields ?? {}).sort()).toEqual(['query.cursor', 'query.limit', 'query.region']);
    const forged = await api<ErrorBody>('GET', '/api/trainings?cursor=eyJ4IjoxfQ');
    expect(forged.status).toBe(400);
  });

  it('a cursor that this list did not hand out for this query and caller', async () => {
    for (let made = 0; made < 2; made += 1) {
      const draft = await createDraft({ region: 'turkistan' });
      expect((await api('POST', `/api/trainings/${draft.id}/publish`, { token: trainer })).status).toBe(200);
    }
    const first = await api<ListBody>('GET', '/api/trainings?region=turkistan&limit=1');
    const cursor = first.body.nextCursor!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    // Opaque: the DynamoDB key inside does not show.
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/TRAINING|PUBLISHED|turkistan/i);
    const next = await api<ListBody>('GET', `/api/trainings?region=turkistan&limit=5&cursor=${cursor}`);
    expect(next.status, next.text).toBe(200);
    expect(next.body.items.map((item) => item.id)).not.toContain(first.body.items[0]!.id);

    const mine = await api<ListBody>('GET', '/api/me/trainings?limit=1', { token: trainer });
    const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    const storeKey = Buffer.from(JSON.stringify({ pk: 'TRAINING#x', sk: 'TRAINING', gsi2pk: 'PUBLISHED#astana', gsi2sk: '2099' })).toString('base64url');
    const refused = [
      ['another query', `/api/trainings?region=almaty&cursor=${cursor}`, undefined],
      ['another route', `/api/me/trainings?cursor=${cursor}`, trainer],
      ['another caller', `/api/me/trainings?cursor=${mine.body.nextCursor!}`, otherTrainer],
      ['a changed character', `/api/trainings?region=turkistan&cursor=${flipped}`, undefined],
      ['a truncated cursor', `/api/trainings?region=turkistan&cursor=${cursor.slice(0, -4)}`, undefined],
      ['a well-formed key into another partition', `/api/trainings?region=turkistan&cursor=${storeKey}`, undefined],
    ] as const;
    for (const [what, path, token] of refused) {
      const response = await api<ErrorBody>('GET', path, token ? { token } : {});
      expect(response.status, `${what}: ${response.text}`).toBe(400);
      expect(response.body.error.reason, what).toBe('invalid_cursor');
      expect(response.body.error.message, what).toMatch(/first page/);
      expect(response.body.error.fields?.['query.cursor'], what).toBeDefined();
    }
  });

  it('a date range that ends before it starts', async () => {
    const inverted = await api<ErrorBody>('GET', '/api/trainings?from=2026-12-31T00:00:00%2B05:00&to=2026-01-01T00:00:00%2B05:00');
    expect(inverted.status, inverted.text).toBe(400);
    expect(inverted.body.error.fields?.['query.from']).toEqual([expect.stringMatching(/after to/)]);
    // Only `to`, before the default start (today): nothing can match, and that is the answer.
    const past = await call('listTrainings', '/api/trainings?region=almaty&to=2020-01-01T00:00:00%2B05:00');
    expect(past.status, past.text).toBe(200);
    expect(past.body.items).toEqual([]);
  });

  it('a path segment that is not valid percent-encoding', async () => {
    for (const segment of ['%ZZ', '%E0%A4%A']) {
      const response = await api<ErrorBody>('GET', `/api/trainings/${segment}`);
      expect(response.status, response.text).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { path: [expect.any(String)] } });
    }
  });

  it('an unknown training id', async () => {
    expect((await api('GET', '/api/trainings/doesNotExist')).status).toBe(404);
    expect((await api('POST', '/api/trainings/doesNotExist/publish', { token: trainer })).status).toBe(404);
  });

  it('no token, an expired token, a forged token', async () => {
    expect((await api('POST', '/api/trainings', { body: trainingBody() })).status).toBe(401);

    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ email: 'x@x.kz', 'cognito:groups': ['admins'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('attacker')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await api('POST', '/api/trainings', { token: forged, body: trainingBody() })).status).toBe(401);

    const [header, payload, signature] = trainer.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).toString('base64url');
    expect((await api('POST', '/api/trainings', { token: `${header}.${tampered}.${signature}`, body: trainingBody() })).status).toBe(401);

    const shortLived = await tokenFor({ ...uniqueAccount('trainers'), expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await api<{ message: string }>('POST', '/api/trainings', { token: shortLived, body: trainingBody() });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);
  });
});

describe('national trainers', () => {
  it('publish level 0 only while an admin has them designated', async () => {
    const admin = await tokenFor(accounts.admin);
    const account = uniqueAccount('trainers');
    const trainer = await tokenFor(account);
    const draft = await call('createTraining', '/api/trainings', { token: trainer, body: trainingBody({ level: 0 }, Date.now(), 40) });
    expect(draft.status, draft.text).toBe(201);

    const undesignated = await call('undesignateNationalTrainer', `/api/national-trainers/${encodeURIComponent(account.email)}`, { token: admin });
    expect(undesignated.status, undesignated.text).toBe(204);
    const refused = await api<ErrorBody>('POST', `/api/trainings/${draft.body.id}/publish`, { token: trainer });
    expect(refused.status, refused.text).toBe(403);

    const designated = await call('designateNationalTrainer', `/api/national-trainers/${encodeURIComponent(account.email)}`, { token: admin });
    expect(designated.body).toEqual({ email: account.email, nationalTrainer: true });
    const published = await call('publishTraining', `/api/trainings/${draft.body.id}/publish`, { token: trainer });
    expect(published.status, published.text).toBe(200);
  });
});
