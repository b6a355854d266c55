import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webAppServer } from '../../local/web-app';

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
fs.mkdirSync(path.join(dist, 'assets'));
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
fs.writeFileSync(path.join(dist, 'assets', 'main-ABC.js'), 'console.log(1)');
fs.writeFileSync(path.join(os.tmpdir(), 'outside-web-dist.txt'), 'secret');
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

describe('the local web app server', () => {
  const serve = webAppServer(dist, { auth: { kind: 'local' }, publicBaseUrl: 'http://localhost:3000' })!;

  it('serves files with their type and index.html for any page path', () => {
    expect(serve('/assets/main-ABC.js')).toEqual({ contentType: 'text/javascript; charset=utf-8', body: Buffer.from('console.log(1)') });
    for (const page of ['/', '/verify/K7Q2MX', '/trainings/t1/feedback', '/check-in']) {
      expect(String(serve(page)?.body), page).toContain('<title>app</title>');
    }
  });

  it('answers /config.json with the local sign-in and the public base of links', () => {
    expect(JSON.parse(String(serve('/config.json')!.body))).toEqual({ auth: { kind: 'local' }, publicBaseUrl: 'http://localhost:3000' });
  });

  it('says 404 for a missing asset and never reads outside its folder', () => {
    expect(serve('/assets/missing.js')).toBeUndefined();
    expect(String(serve('/../outside-web-dist.txt')?.body)).not.toContain('secret');
    expect(String(serve('/%2e%2e/outside-web-dist.txt')?.body)).not.toContain('secret');
  });

  it('is absent until the app is built', () => {
    expect(webAppServer(path.join(dist, 'nothing-here'), {})).toBeUndefined();
  });
});
