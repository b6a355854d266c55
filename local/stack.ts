import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { checkConfigFiles } from '../shared/config/files';
import { routeList } from '../shared/manifest';
import { ensureTable, startDynamoDbLocal } from './dynamodb';
import { controlRoutes } from './control-routes';
import { processCpuMs, threadCpuMs } from './cpu';
import { startEmulators } from './emulators';
import { startLocalFunctions, type RemotePoller } from './functions';
import { startGateway, type HttpLambda } from './gateway';
import { enforceFunctionPermissions, loadHandlers } from './handlers';
import { createLocalIssuer } from './tokens';
import { startPage } from './start-page';
import { CERTIFICATES_BUCKET, localFunctionEnvironment, localRuntimeEnvironment, TABLE_NAME } from './environment';
import { apiDocsRoute } from './api-docs';
import { webAppServer } from './web-app';

export interface LocalStackOptions {
  /** Where DynamoDB, S3, the signing key and stream checkpoints live; omitted → in memory / temporary. */
  dataDirectory?: string;
  ports: { api: number; dynamodb: number; ses: number; s3: number };
  seed: boolean;
  log: (line: string) => void;
  /** Send mail here instead of straight to the SES emulator (tests put a fault proxy in between). */
  mailEndpoint?: string;
  /** The built web app to serve at `/` (web/dist); without it `/` shows the page of URLs. */
  webDirectory?: string;
}

export interface LocalStack {
  urls: { app: string; api: string; sesInbox: string; dynamodb: string; s3: string };
  /** The stream poller, in the consumers' own thread: drain it, list and replay its dead letters. */
  poller: RemotePoller;
  /** Where this stack keeps its data and keys (a temporary directory unless one was given). */
  dataDirectory: string;
  /** CPU time each part has used so far, for benchmarks; call it from the gateway's thread. */
  cpuMs(): Promise<RuntimeCpu>;
  stop(): Promise<void>;
}

/** Milliseconds of CPU per part of the runtime (local/cpu.ts); each undefined where /proc is missing. */
export interface RuntimeCpu {
  /** The gateway's thread: HTTP, the routes' handlers and their SDK calls. */
  gateway: number | undefined;
  /** The stream consumers, schedules and event rules (functions-worker.ts). */
  functions: number | undefined;
  /** The S3 and SES emulators (emulators-worker.ts). */
  emulators: number | undefined;
  /** This whole Node process: the threads above, the garbage collector's and libuv's, and any other worker. */
  node: number;
  /** DynamoDB Local's JVM. */
  dynamodbLocal: number | undefined;
}

// Development machines run Node 20 while Lambda runs 22; the SDK's notice about that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export { CERTIFICATES_BUCKET, TABLE_NAME } from './environment';

/** A deployed function's environment (shared/env.ts), pointed at the local stand-ins. */
function configureEnvironment(urls: { dynamodb: string; s3: string; ses: string; api: string }, dataDirectory: string): void {
  Object.assign(process.env, localFunctionEnvironment({ dataDirectory, publicBaseUrl: urls.api }), localRuntimeEnvironment(urls));
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { ports, log } = options;
  // Deployed functions have their config files checked when CDK bundles them; the local ones run
  // from source, so they are checked here, before anything starts.
  checkConfigFiles();
  const dataDirectory = options.dataDirectory ?? fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'cascade-'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (!options.dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  };

  try {
    const [dynamodb, emulators] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb, ...(options.dataDirectory ? { dataDirectory: path.join(dataDirectory, 'dynamodb') } : {}) }),
      startEmulators({ ports: { ses: ports.ses, s3: ports.s3 }, s3Directory: path.join(dataDirectory, 's3'), buckets: [CERTIFICATES_BUCKET] }, log),
    ]);
    const { ses, s3 } = emulators;
    stops.push(
      () => dynamodb.stop(),
      () => ses.stop(),
      () => s3.stop(),
    );

    const urls = {
      app: `http://localhost:${ports.api}/`,
      api: `http://localhost:${ports.api}`,
      sesInbox: `http://localhost:${ports.ses}/`,
      dynamodb: dynamodb.endpoint,
      s3: s3.endpoint,
    };
    configureEnvironment(
      { dynamodb: dynamodb.endpoint, s3: s3.endpoint, ses: options.mailEndpoint ?? ses.endpoint, api: urls.api },
      dataDirectory,
    );
    await ensureTable(dynamodb.endpoint, TABLE_NAME);

    // The HTTP routes run on this thread; the stream consumers, schedules and event rules in a
    // thread of their own (functions-worker.ts), which gets a copy of the environment set above.
    await enforceFunctionPermissions(log);
    const [routes, functions] = await Promise.all([
      loadHandlers<(typeof routeList)[number], HttpLambda>(routeList),
      startLocalFunctions({ dynamodbEndpoint: dynamodb.endpoint, tableName: TABLE_NAME, stateDirectory: path.join(dataDirectory, 'streams') }, log),
    ]);
    stops.push(() => functions.stop());

    if (options.seed) {
      const { seedDemoData } = await import('./seed');
      const seeded = await seedDemoData();
      log(`demo data: ${seeded.created} trainings created, ${seeded.existing} already there`);
      // The past is played through the use cases with the consumers running, so its emails,
      // certificates and aggregates are the ones real activity would have left.
      const { seedHistory } = await import('./seed-history');
      const history = await seedHistory(() => functions.poller.waitForIdle({ timeoutMs: 60_000 }));
      log(
        history.skipped
          ? 'demo history: already there'
          : `demo history: ${history.trainings} past trainings, ${history.certificates} certificates, in ${history.seconds.toFixed(1)} s`,
      );
    }

    const issuer = await createLocalIssuer(path.join(dataDirectory, 'local-jwt-key.json'));

    // The web app when asked for and built (npm start builds it); the page of URLs otherwise.
    const webApp = options.webDirectory
      ? webAppServer(options.webDirectory, { auth: { kind: 'local' }, publicBaseUrl: urls.api })
      : undefined;
    let ready = false;
    const server: Server = await startGateway({
      port: ports.api,
      issuer,
      routes,
      localRoutes: [...controlRoutes({ issuer, functions }), apiDocsRoute()],
      isReady: () => ready,
      serveStatic: webApp ?? ((requestPath) =>
        requestPath === '/' ? { contentType: 'text/html; charset=utf-8', body: startPage(urls) } : undefined),
      log,
    });
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    ready = true;

    const cpuMs = async (): Promise<RuntimeCpu> => {
      const [functionsMs, emulatorsMs] = await Promise.all([functions.threadCpuMs(), emulators.threadCpuMs()]);
      const node = process.cpuUsage();
      return {
        gateway: threadCpuMs(),
        functions: functionsMs,
        emulators: emulatorsMs,
        node: (node.user + node.system) / 1000,
        dynamodbLocal: processCpuMs(dynamodb.pid),
      };
    };

    return { urls, poller: functions.poller, dataDirectory, cpuMs, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
