import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';
import { openApiDocument } from '../../shared/api/openapi';
import { api, apiUrl } from '../support/api';

describe('the API description', () => {
  it('is served at GET /api/openapi.json, as generated, to anyone', async () => {
    const response = await api('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual(openApiDocument(packageJson.version));
  });

  it('is browsable at /api/docs on the local stack, from the served document', async () => {
    const response = await fetch(`${apiUrl()}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain("fetch('/api/openapi.json')");
    // Self-contained: nothing is loaded from another origin.
    expect(page).not.toMatch(/(src|href)="https?:/);
  });
});
