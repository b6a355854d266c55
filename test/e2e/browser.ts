import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const screenshotDirectory = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export const appUrl = () => inject('e2eAppUrl');

export async function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserWsEndpoint'));
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
}

/**
 * A fresh browser context (its own storage: one person signed in) on a phone-sized or desktop
 * screen. Console errors are collected and fail the test at its end; a failed request for an API
 * route this build does not have yet (built in parallel) is recorded apart, never hidden.
 */
export async function openTab(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Tab> {
  const context = await browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Asia/Almaty', permissions: ['clipboard-read', 'clipboard-write'], baseURL: appUrl() });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    consoleErrors.push(`${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  return { context, page, consoleErrors };
}

/** axe-core on the page as it is now: no serious or critical violation; then a full-page screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction('!document.querySelector("[role=status].muted")', undefined, { timeout: 10_000 }).catch(() => undefined);
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate<unknown[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })))`);
  expect(violations, `accessibility violations on ${name}`).toEqual([]);
  fs.mkdirSync(screenshotDirectory, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDirectory, `${name}.png`), fullPage: true });
}

export async function localApi<T>(method: string, apiPath: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${appUrl()}${apiPath}`, {
    method,
    // JSON always: the control routes refuse anything else, even a request without a body.
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function setClock(now: Date): Promise<void> {
  expect((await localApi('POST', '/api/local/clock', { now: now.toISOString() })).status).toBe(200);
}

export async function resetClock(): Promise<void> {
  await localApi('DELETE', '/api/local/clock');
}

export async function drainStreams(): Promise<void> {
  expect((await localApi('POST', '/api/local/streams/drain')).status).toBe(200);
}

export interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

export async function emailsTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${inject('e2eSesUrl')}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
}
