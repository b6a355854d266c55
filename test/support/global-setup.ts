import type { TestProject } from 'vitest/node';
import { findFreePort } from '../../local/ports';
import { startLocalStack } from '../../local/stack';
import { startThrottleProxy } from './ses-throttle-proxy';

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
  }
}

/**
 * One local stack for the integration project, on free ports and in-memory storage, so tests run
 * beside a developer's `npm start` without touching its data.
 */
export default async function setup(project: TestProject) {
  const ports = {
    api: await findFreePort(),
    dynamodb: await findFreePort(),
    ses: await findFreePort(),
    s3: await findFreePort(),
  };
  const proxy = await startThrottleProxy(`http://127.0.0.1:${ports.ses}`, await findFreePort());
  const stack = await startLocalStack({
    ports,
    seed: false,
    mailEndpoint: proxy.url,
    log: (line) => {
      if (process.env.STACK_LOG) console.log(line);
    },
  });
  project.provide('apiUrl', stack.urls.api);
  project.provide('sesUrl', stack.urls.sesInbox.replace(/\/$/, ''));
  project.provide('dynamodbEndpoint', stack.urls.dynamodb);
  project.provide('s3Endpoint', stack.urls.s3);
  project.provide('sesProxyUrl', proxy.url);
  project.provide('dataDirectory', stack.dataDirectory);
  return async () => {
    await stack.stop();
    await proxy.stop();
  };
}
