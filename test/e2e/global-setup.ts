import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eAppUrl: string;
    e2eSesUrl: string;
    browserWsEndpoint: string;
  }
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The stack of `npm start` (seeded with the demo data, serving the freshly built web app) on
 * free ports and in-memory storage, in a child process; and Debian's chromium driven by
 * playwright-core, which launches it with a fresh temporary --user-data-dir and removes it on close.
 */
export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'stack-process.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopStack = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const urls = await new Promise<{ app: string; ses: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the e2e stack did not start within 180 s')), 180_000);
    child.once('exit', (code) => reject(new Error(`the e2e stack exited with ${code} before it served`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { app: string; ses: string });
    });
  }).catch(async (error: unknown) => {
    await stopStack();
    throw error;
  });

  const server = await chromium
    .launchServer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs })
    .catch(async (error: unknown) => {
      await stopStack();
      throw error;
    });
  project.provide('e2eAppUrl', urls.app);
  project.provide('e2eSesUrl', urls.ses);
  project.provide('browserWsEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
    await stopStack();
  };
}
