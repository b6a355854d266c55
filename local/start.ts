/**
 * `npm start`: the whole product on local stand-ins, with its data under .data/ so a restart
 * loses nothing. Ctrl-C stops every part, the DynamoDB Local child process included.
 */
import path from 'node:path';
import { LocalStackError } from './ports';
import { demoAccounts } from './demo-accounts';

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`${name}=${value} is not a port number; use a whole number between 1 and 65535.`);
    process.exit(1);
  }
  return port;
}

const ports = {
  api: portFromEnv('PORT', 3000),
  dynamodb: portFromEnv('DYNAMODB_PORT', 8000),
  ses: portFromEnv('SES_PORT', 8005),
  s3: portFromEnv('S3_PORT', 4569),
};

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

try {
  const { buildWeb } = await import('../web/build');
  const web = await buildWeb();
  const { startLocalStack } = await import('./stack');
  const stack = await startLocalStack({
    dataDirectory: path.resolve(import.meta.dirname, '..', '.data'),
    ports,
    seed: true,
    webDirectory: web.outDir,
    log,
  });
  // Where each role sees what the product is for, on the seeded year of history.
  const firstLook: Partial<Record<keyof typeof demoAccounts, string>> = {
    coordinator: 'start here: the Almaty dashboard — funnel, reach by month, multipliers',
    regionalTrainer: 'holds a level-1 certificate: publish level 2, run trainings',
    nationalTrainer: 'the national trainings and their feedback, released',
    teacher: 'my trainings and certificates (a level-1 certificate)',
    teacher2: 'a certificate that expires within two months',
    admin: 'every region; revoke and reissue certificates',
  };
  const accounts = (Object.entries(demoAccounts) as [keyof typeof demoAccounts, (typeof demoAccounts)[keyof typeof demoAccounts]][])
    .map(([key, account]) => {
      const role = `${account.groups.join(', ')}${'region' in account ? ` (${account.region})` : ''}`;
      const hint = firstLook[key];
      return `    ${account.email.padEnd(30)} ${role.padEnd(24)}${hint ? ` ${hint}` : ''}`;
    })
    .join('\n');
  console.log(`
  Cascade training platform is running.

    App and API     ${stack.urls.app}
    API health      ${stack.urls.api}/api/health
    Email inbox     ${stack.urls.sesInbox}
    DynamoDB Local  ${stack.urls.dynamodb}
    S3 emulator     ${stack.urls.s3}

  Demo accounts: sign in at ${stack.urls.app}sign-in (or POST ${stack.urls.api}/api/local/token with {email, name, groups, region?}):
${accounts}

  Press Ctrl-C to stop.
`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof LocalStackError) {
    console.error(`\nCannot start the local stack: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
