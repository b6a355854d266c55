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
});
