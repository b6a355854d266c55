/** The journal list pages through every entry behind sealed cursors (shared/http/cursors.ts). */
import { describe, expect, it } from 'vitest';
import { api, newPerson } from '../support/api';

type Page = { items: { entryId: string }[]; nextCursor?: string; error?: { reason?: string } };

describe('journal list paging', () => {
  it('reaches every entry page by page; the cursor is sealed to its author', async () => {
    const author = await newPerson('Жазба Иесі');
    const other = await newPerson('Басқа Адам');
    const written: string[] = [];
    for (let index = 0; index < 5; index++) {
      const entry = await api<{ entryId: string }>('POST', '/api/me/journal', {
        token: author.token,
        body: { title: `Жазба ${index}`, text: 'Ой.', language: 'kk' },
      });
      expect(entry.status, entry.text).toBe(201);
      written.push(entry.body.entryId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api<Page>('GET', `/api/me/journal?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: author.token });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((item) => item.entryId));
      cursor = page.body.nextCursor;
      if (pages === 0) {
        expect(cursor).toBeTypeOf('string');
        // Sealed: not the store's key, and useless to anyone else.
        expect(Buffer.from(cursor!, 'base64url').toString('utf8')).not.toContain('JOURNAL#');
        const stolen = await api<Page>('GET', `/api/me/journal?limit=2&cursor=${cursor}`, { token: other.token });
        expect(stolen.status).toBe(400);
        expect(stolen.body.error?.reason).toBe('invalid_cursor');
      }
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect([...seen].sort()).toEqual([...written].sort());
  });
});
