/**
 * A test project's local stack in a process of its own. The local runtime keeps one clock and one
 * environment per process (as one Lambda container does), so two projects' stacks must never share
 * the test runner's process: the second would take over the first one's table and clock.
 * Prints one JSON line once it serves; stops on SIGTERM.
 */
import { findFreePort } from '../../local/ports';
import { startLocalStack } from '../../local/stack';
import { startThrottleProxy } from './ses-throttle-proxy';

const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
const proxy = await startThrottleProxy(`http://127.0.0.1:${ports.ses}`, await findFreePort());
const stack = await startLocalStack({
  ports,
  seed: false,
  mailEndpoint: proxy.url,
  log: (line) => {
    if (process.env.STACK_LOG) console.error(line);
  },
});
process.on('SIGTERM', () => {
  Promise.all([stack.stop(), proxy.stop()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
console.log(
  JSON.stringify({
    apiUrl: stack.urls.api,
    sesUrl: stack.urls.sesInbox.replace(/\/$/, ''),
    dynamodbEndpoint: stack.urls.dynamodb,
    s3Endpoint: stack.urls.s3,
    sesProxyUrl: proxy.url,
    dataDirectory: stack.dataDirectory,
  }),
);
