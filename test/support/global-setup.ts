import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { uncoveredRoutes } from './contract-coverage';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    sesUrl: string;
    s3Endpoint: string;
    dynamodbEndpoint: string;
    /** The proxy all mail goes through; it can throttle like SES (see ses-throttle-proxy.ts). */
    sesProxyUrl: string;
    /** The stack's data directory: tests read its local JWT key to mint subtly wrong tokens. */
    dataDirectory: string;
    /** Where test/support/contract.ts logs the answers it checked against shared/api. */
    contractLogDirectory: string;
  }
}

type StackUrls = { apiUrl: string; sesUrl: string; dynamodbEndpoint: string; s3Endpoint: string; sesProxyUrl: string; dataDirectory: string };

/**
 * One local stack per project that uses this setup (integration, fuzz), on free ports and
 * in-memory storage, each in its own process (stack-child.ts), so tests run beside a developer's
 * `npm start`, and beside each other, without touching each other's data or clock.
 */
export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'stack-child.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const urls = await new Promise<StackUrls>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${project.name} stack did not start within 180 s`)), 180_000);
    child.once('exit', (code) => reject(new Error(`the ${project.name} stack exited with ${code} before it served`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as StackUrls);
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  for (const [key, value] of Object.entries(urls) as [keyof StackUrls, string][]) project.provide(key, value);
  const contractLog = mkdtempSync(path.join(tmpdir(), `contract-${project.name}-`));
  project.provide('contractLogDirectory', contractLog);
  return async () => {
    await stop();
    if (project.name === 'integration') assertEveryRouteSucceeded(project, contractLog);
    rmSync(contractLog, { recursive: true, force: true });
  };
}

/**
 * After a whole integration run, every manifest route must have been seen answering a 2xx (and
 * so checked against its declared schema). A run of some files only covers what they touch, so
 * it is not judged. A teardown that throws does not fail the run; the exit code does.
 */
function assertEveryRouteSucceeded(project: TestProject, directory: string): void {
  const ran = new Set(project.vitest.state.getFiles().map((file) => path.basename(file.filepath)));
  const allFiles = readdirSync(path.join(import.meta.dirname, '../integration')).filter((file) => file.endsWith('.test.ts'));
  if (!allFiles.every((file) => ran.has(file))) return;
  const lines = readdirSync(directory).flatMap((file) => readFileSync(path.join(directory, file), 'utf8').split('\n').filter(Boolean));
  const missing = uncoveredRoutes(lines);
  if (missing.length > 0) {
    console.error(`Contract: no integration test saw these routes succeed, so their success schemas were never checked: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
}
