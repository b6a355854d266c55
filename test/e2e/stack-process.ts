/**
 * The e2e stack in its own process. The local runtime keeps one clock and one environment per
 * process (as one Lambda container does), so it must not share the test runner's process with
 * the integration project's stack. Prints one JSON line once it serves; stops on SIGTERM.
 */
import { findFreePort } from '../../local/ports';
import { startLocalStack } from '../../local/stack';
import { buildWeb } from '../../web/build';

const web = await buildWeb();
const ports = { api: await findFreePort(), dynamodb: await findFreePort(), ses: await findFreePort(), s3: await findFreePort() };
const stack = await startLocalStack({
  ports,
  seed: true,
  webDirectory: web.outDir,
  log: (line) => {
    if (process.env.STACK_LOG) console.error(line);
  },
});
process.on('SIGTERM', () => {
  stack.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
console.log(JSON.stringify({ app: stack.urls.api, ses: stack.urls.sesInbox.replace(/\/$/, '') }));
