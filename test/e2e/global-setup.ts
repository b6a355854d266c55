import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { findFreePort } from '../../local/ports';
import { startLocalStack } from '../../local/stack';
import { buildWeb } from '../../web/build';

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
 * free ports and in-memory storage, and Debian's chromium driven by playwright-core.
 */
export default async function setup(project: TestProject) {
  await buildWeb();
  const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
  const stack = await startLocalStack({
    ports,
    seed: true,
    log: (line) => {
      if (process.env.STACK_LOG) console.log(line);
    },
  });
  // Playwright gives every launch a fresh temporary profile; this one is ours to remove.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  const server = await chromium
    .launchServer({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [...chromiumArgs, `--disk-cache-dir=${profile}`],
    })
    .catch(async (error: unknown) => {
      await stack.stop();
      throw error;
    });
  project.provide('e2eAppUrl', stack.urls.api);
  project.provide('e2eSesUrl', stack.urls.sesInbox.replace(/\/$/, ''));
  project.provide('browserWsEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
    await stack.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  };
}
