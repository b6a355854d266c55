import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, tableShape } from '../shared/store/table';
import { LocalStackError, assertPortFree, waitUntil } from './ports';

export interface DynamoDbLocal {
  endpoint: string;
  /** The JVM's process id, for its CPU time (local/cpu.ts). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The emulator jar ships inside the npm package `amplify-dynamodb-simulator`. */
function emulatorDirectory(): string {
  const packageJson = require.resolve('amplify-dynamodb-simulator/package.json');
  return path.join(path.dirname(packageJson), 'emulator');
}

function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new LocalStackError(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found. Install it ' +
        '(Debian: `apt-get install -y openjdk-17-jre-headless`) and run the command again.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr)?.[1];
  if (version !== undefined && Number(version) < 17) {
    throw new LocalStackError(`DynamoDB Local needs Java 17 or newer; this machine has Java ${version}.`);
  }
}

/**
 * On two cores the JVM's optimising compiler and its parallel collector take CPU from the
 * requests of a short run (a test suite, a benchmark, a demo): the quick compiler and the serial
 * collector serve those faster (README, `npm run bench`). `DYNAMODB_LOCAL_JVM_FLAGS` replaces
 * them, `none` for the JVM's own defaults.
 */
function jvmTuning(): string[] {
  const flags = process.env.DYNAMODB_LOCAL_JVM_FLAGS;
  if (flags === 'none') return [];
  return flags?.split(/\s+/).filter(Boolean) ?? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
}

/**
 * Starts AWS's DynamoDB Local as a child process. With `dataDirectory` the data lives on disk so a
 * restart loses nothing; without it the database is in memory (tests).
 */
export async function startDynamoDbLocal(options: { port: number; dataDirectory?: string }): Promise<DynamoDbLocal> {
  assertJava();
  await assertPortFree(options.port, 'DynamoDB Local', 'DYNAMODB_PORT');
  const directory = emulatorDirectory();
  const storage = ['-inMemory'];
  if (options.dataDirectory) {
    fs.mkdirSync(options.dataDirectory, { recursive: true });
    storage.splice(0, 1, '-dbPath', path.resolve(options.dataDirectory));
  }
  const child: ChildProcess = spawn(
    'java',
    [
      // 1 GB serves the app and tests; a Scan over a synthetic year of a million items needs more.
      `-Xmx${process.env.DYNAMODB_LOCAL_HEAP ?? '1g'}`,
      ...jvmTuning(),
      `-Djava.library.path=${path.join(directory, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(directory, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      ...storage,
    ],
    { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await waitUntil(
      async () => {
        if (exited) throw new LocalStackError(`DynamoDB Local exited while starting:\n${stderr}`);
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      { timeoutMs: 30_000, what: 'DynamoDB Local' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    if (exited) throw new LocalStackError(`DynamoDB Local exited while starting:\n${stderr}`);
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    pid: child.pid,
    async stop() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
    },
  };
}

/**
 * Creates the table as CDK does (shared/store/table.ts) if it is missing, and turns its TTL on as
 * CDK's `timeToLiveAttribute` does; a table made by an older runtime (kept under .data/) gets TTL
 * on its next start.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const enabled = TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' || TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING';
    if (!enabled || TimeToLiveDescription?.AttributeName !== tableShape.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: tableShape.timeToLiveAttribute, Enabled: true } }),
      );
    }
  } finally {
    client.destroy();
  }
}
