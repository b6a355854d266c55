import { describe, expect, it } from 'vitest';
import { api, apiUrl, resetClock, setClock } from '../support/api';

type RegionsBody = { items: { id: string; code: string; name: { kk: string; ru: string; en: string } }[] };

describe('the local runtime', () => {
  it('reports healthy once every part is up', async () => {
    const health = await api('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
  });

  it('lists the 17 oblasts and 3 cities with names in kk, ru and en', async () => {
    const regions = await api<RegionsBody>('GET', '/api/regions');
    expect(regions.body.items).toHaveLength(20);
    expect(new Set(regions.body.items.map((region) => region.code)).size).toBe(20);
    expect(regions.body.items.find((region) => region.id === 'east-kazakhstan')?.name.kk).toBe('Шығыс Қазақстан облысы');
  });

  it('issues tokens only for valid identities', async () => {
    const bad = await api<{ error: { fields: Record<string, string[]> } }>('POST', '/api/local/token', {
      body: { email: 'not-an-email', name: '', groups: ['wizards'] },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['email', 'groups.0', 'name']);
    const coordinatorWithoutRegion = await api('POST', '/api/local/token', {
      body: { email: 'c@x.kz', name: 'C', groups: ['coordinators'] },
    });
    expect(coordinatorWithoutRegion.status).toBe(400);
  });

  it('moves the one clock and puts it back', async () => {
    await setClock('2030-01-01T10:00:00+05:00');
    const moved = await api<{ now: string }>('GET', '/api/local/clock');
    expect(Math.abs(Date.parse(moved.body.now) - Date.parse('2030-01-01T05:00:00Z'))).toBeLessThan(5_000);
    expect((await api('POST', '/api/local/clock', { body: { now: 'tomorrow' } })).status).toBe(400);
    await resetClock();
    const back = await api<{ now: string }>('GET', '/api/local/clock');
    expect(Math.abs(Date.parse(back.body.now) - Date.now())).toBeLessThan(5_000);
  });

  it('lists dead letters and refuses to replay one that does not exist', async () => {
    const letters = await api<{ items: unknown[] }>('GET', '/api/local/dead-letters');
    expect(letters.status).toBe(200);
    expect(Array.isArray(letters.body.items)).toBe(true);
    expect((await api('POST', '/api/local/dead-letters/no-such-letter/replay')).status).toBe(404);
  });

  it('answers unknown API paths with 404 and serves the start page at /', async () => {
    expect((await api('GET', '/api/nothing-here')).status).toBe(404);
    expect((await api('DELETE', '/api/regions')).status).toBe(404);
    const page = await fetch(`${apiUrl()}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/health');
  });

  describe('control routes refuse what another origin could send', () => {
    const identity = { email: 'csrf-victim@test.kz', name: 'Админ', groups: ['admins'] };
    const clockNow = async () => (await api<{ now: string }>('GET', '/api/local/clock')).body.now;
    type Refusal = { error: { code: string; message: string; reason: string; requestId: string } };

    it('a cross-site form post is refused, whatever its encoding, and changes nothing', async () => {
      const before = await clockNow();
      const forms = [
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'multipart/form-data; boundary=x' },
        // The classic trick: a text/plain form whose one field name is a JSON document.
        { 'content-type': 'text/plain' },
      ];
      for (const headers of forms) {
        for (const origin of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
          const response = await api<Refusal>('POST', '/api/local/clock', { rawBody: '{"now":"2031-01-01T00:00:00Z"}', headers: { ...headers, ...origin } });
          expect(response.status, JSON.stringify({ headers, origin })).toBe('origin' in origin ? 403 : 415);
          expect(response.body.error.code).toBe('origin' in origin ? 'FORBIDDEN' : 'UNSUPPORTED_MEDIA_TYPE');
          expect(response.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
          expect(response.body.error.message).toMatch(/local app|JSON/);
        }
      }
      const token = await api<Refusal>('POST', '/api/local/token', { rawBody: `email=${identity.email}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
      expect(token.status).toBe(403);
      expect(token.text).not.toContain('token"');
      expect(Math.abs(Date.parse(await clockNow()) - Date.parse(before))).toBeLessThan(5_000);
    });

    it('JSON from another origin, or from a page the browser marks cross-site or same-site, is refused too', async () => {
      const crossSite: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { origin: 'http://localhost:1' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of crossSite) {
        const response = await api<Refusal>('POST', '/api/local/token', { body: identity, headers });
        expect(response.status, JSON.stringify(headers)).toBe(403);
        expect(response.body.error.reason).toBe('cross_origin');
      }
      expect((await api('GET', '/api/local/dead-letters', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    });

    it('the local app itself, and scripts without an Origin, are served; a body-less call still says JSON', async () => {
      const own = await api<{ token: string }>('POST', '/api/local/token', { body: identity, headers: { origin: apiUrl(), 'sec-fetch-site': 'same-origin' } });
      expect(own.status, own.text).toBe(200);
      expect(own.body.token).toBeTruthy();
      const bare = await fetch(`${apiUrl()}/api/local/streams/drain`, { method: 'POST' });
      expect(bare.status).toBe(415);
      expect((await api('POST', '/api/local/streams/drain')).status).toBe(200);
      expect((await api('POST', '/api/local/token', { body: identity, headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
    });
  });
});
