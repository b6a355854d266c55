import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, Context, ScheduledEvent } from 'aws-lambda';
import { z } from 'zod';
import { consumerList, eventRuleList, routeList, scheduleList } from '../shared/manifest';
import { armFault, faultPoints, faultReport } from '../shared/faults';
import { clock, resetClock, setClock } from '../shared/clock';
import { ensureTable, startDynamoDbLocal } from './dynamodb';
import { lambdaContext } from './lambda-context';
import { startGateway, type HttpLambda, type LocalRoute } from './gateway';
import { startS3Local, startSesLocal } from './mail-and-files';
import { createLocalIssuer, tokenRequestSchema } from './tokens';
import { DeadLetterNotFoundError, StreamPoller } from './stream-poller';
import { startPage } from './start-page';
import { apiDocsRoute } from './api-docs';
import { loadOrCreateBadgeKeys } from '../shared/certificates/open-badge';
import { buildSesEvent, dispatchEvent, sesEventRequestSchema, UnknownCertificateError, type EventRuleLambda } from './ses-events';
import { webAppServer } from './web-app';
import { asFunction, enforcePermissions, type FunctionIdentity } from './permissions';

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
  poller: StreamPoller;
  /** Where this stack keeps its data and keys (a temporary directory unless one was given). */
  dataDirectory: string;
  stop(): Promise<void>;
}

// Development machines run Node 20 while Lambda runs 22; the SDK's notice about that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const TABLE_NAME = 'cascade-training';
export const CERTIFICATES_BUCKET = 'cascade-training-certificates';

const repositoryRoot = path.resolve(import.meta.dirname, '..');

type StreamLambda = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;
type ScheduledLambda = (event: ScheduledEvent, context: Context) => Promise<unknown>;

function scheduledEvent(name: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: clock.now().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${name}`],
    detail: {},
  };
}


/**
 * A key that Secrets Manager holds on AWS (the check-in codes' HMAC key, the cursor sealing key),
 * kept under the data directory so codes on a screen and cursors handed out stay valid across a
 * restart; a temporary stack gets fresh ones.
 */
function localSecret(dataDirectory: string, name: 'check-in-secret' | 'cursor-secret'): string {
  const file = path.join(dataDirectory, name);
  fs.mkdirSync(dataDirectory, { recursive: true });
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The environment a deployed function gets from CDK, pointed at the local stand-ins. */
function configureEnvironment(
  urls: { dynamodb: string; s3: string; ses: string; api: string },
  secrets: { checkIn: string; cursor: string },
): void {
  Object.assign(process.env, {
    TABLE_NAME,
    CHECK_IN_SECRET: secrets.checkIn,
    CURSOR_SECRET: secrets.cursor,
    CERTIFICATES_BUCKET,
    MAIL_FROM: 'Teachers as Leaders <no-reply@training.local>',
    PUBLIC_BASE_URL: urls.api,
    AWS_REGION: 'us-east-1',
    // The S3 emulator accepts only its own key pair; DynamoDB Local and the SES emulator take any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    // High enough for a 1,000-person cohort in seconds; the per-second counter still runs.
    MAIL_MAX_SEND_RATE: process.env.MAIL_MAX_SEND_RATE ?? '200',
    SES_CONFIGURATION_SET: 'cascade-training-local',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_DEV: 'true',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

const clockBody = z.strictObject({ now: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }) });

const faultBody = z.strictObject({
  point: z.enum(faultPoints, { error: `must be one of ${faultPoints.join(', ')}` }),
  times: z.int().min(0).max(1000).default(1),
});

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) (fields[issue.path.join('.') || 'body'] ??= []).push(issue.message);
  return fields;
}

function invalid(error: z.ZodError) {
  return {
    status: 400,
    body: { error: { code: 'VALIDATION_FAILED', message: 'Correct the fields listed and send the request again.', fields: fieldErrors(error) } },
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { ports, log } = options;
  const dataDirectory = options.dataDirectory ?? fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'cascade-'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (!options.dataDirectory) fs.rmSync(dataDirectory, { recursive: true, force: true });
  };

  try {
    const [dynamodb, ses, s3] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb, ...(options.dataDirectory ? { dataDirectory: path.join(dataDirectory, 'dynamodb') } : {}) }),
      startSesLocal(ports.ses),
      startS3Local({ port: ports.s3, directory: path.join(dataDirectory, 's3'), buckets: [CERTIFICATES_BUCKET] }),
    ]);
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
      { checkIn: localSecret(dataDirectory, 'check-in-secret'), cursor: localSecret(dataDirectory, 'cursor-secret') },
    );
    // The Open Badges signing key (Secrets Manager on AWS): made once, kept with the data, so
    // credentials handed out keep verifying across restarts.
    process.env.BADGE_KEY_FILE = path.join(dataDirectory, 'badge-key.json');
    // What the deploy-time custom resource derives on AWS: the public half, as configuration.
    const { kty, crv, x } = loadOrCreateBadgeKeys(process.env.BADGE_KEY_FILE).publicJwk;
    process.env.ISSUER_PUBLIC_JWK = JSON.stringify({ kty, crv, x });
    await ensureTable(dynamodb.endpoint, TABLE_NAME);

    // The clients every handler shares refuse what the calling function's role would not allow.
    const [{ dynamoDb }, { s3: s3Client }, { ses: sesClient }] = await Promise.all([
      import('../shared/store/client'),
      import('../shared/files/client'),
      import('../shared/mail/client'),
    ]);
    enforcePermissions({ dynamodb: dynamoDb, s3: s3Client, ses: sesClient }, (fn, action) => log(`AccessDenied: ${fn.name} may not ${action} (shared/manifest.ts permissions)`));
    const identityOf = (definition: FunctionIdentity): FunctionIdentity => ({ name: definition.name, permissions: definition.permissions });

    // Handlers are imported only now: their clients read the environment set above.
    const routes = await Promise.all(
      routeList.map(async (definition) => {
        const module = (await import(path.join(repositoryRoot, definition.handler))) as { handler: HttpLambda };
        return { definition, handler: asFunction(identityOf(definition), module.handler) };
      }),
    );
    const consumers = await Promise.all(
      consumerList.map(async (definition) => {
        const module = (await import(path.join(repositoryRoot, definition.handler))) as { handler: StreamLambda };
        return { definition, handler: asFunction(identityOf(definition), module.handler) };
      }),
    );

    const scheduled = await Promise.all(
      scheduleList.map(async (definition) => {
        const module = (await import(path.join(repositoryRoot, definition.handler))) as { handler: ScheduledLambda };
        const handler = asFunction(identityOf(definition), module.handler);
        const run = () => handler(scheduledEvent(definition.name), lambdaContext({ functionName: definition.name, timeoutSeconds: definition.timeoutSeconds, memoryMb: definition.memoryMb }));
        return { definition, run };
      }),
    );

    const eventRules = await Promise.all(
      eventRuleList.map(async (definition) => {
        const module = (await import(path.join(repositoryRoot, definition.handler))) as { handler: EventRuleLambda };
        return { definition, handler: asFunction(identityOf(definition), module.handler) };
      }),
    );

    if (options.seed) {
      const { seedDemoData } = await import('./seed');
      const seeded = await seedDemoData();
      log(`demo data: ${seeded.created} trainings created, ${seeded.existing} already there`);
    }

    const poller = new StreamPoller({
      endpoint: dynamodb.endpoint,
      tableName: TABLE_NAME,
      consumers,
      stateDirectory: path.join(dataDirectory, 'streams'),
      log,
    });
    poller.start();
    stops.push(() => poller.stop());

    if (options.seed) {
      // The past is played through the use cases with the consumers running, so its emails,
      // certificates and aggregates are the ones real activity would have left.
      const { seedHistory } = await import('./seed-history');
      const history = await seedHistory(() => poller.waitForIdle({ timeoutMs: 60_000 }));
      log(
        history.skipped
          ? 'demo history: already there'
          : `demo history: ${history.trainings} past trainings, ${history.certificates} certificates, in ${history.seconds.toFixed(1)} s`,
      );
    }

    const issuer = await createLocalIssuer(path.join(dataDirectory, 'local-jwt-key.json'));
    const localRoutes: LocalRoute[] = [
      {
        method: 'POST',
        path: '/api/local/token',
        handle: async ({ body }) => {
          const parsed = tokenRequestSchema.safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          return { status: 200, body: { token: await issuer.issue(parsed.data) } };
        },
      },
      { method: 'GET', path: '/api/local/clock', handle: async () => ({ status: 200, body: { now: clock.now().toISOString() } }) },
      {
        method: 'POST',
        path: '/api/local/clock',
        handle: async ({ body }) => {
          const parsed = clockBody.safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          setClock(new Date(parsed.data.now));
          return { status: 200, body: { now: clock.now().toISOString() } };
        },
      },
      {
        method: 'DELETE',
        path: '/api/local/clock',
        handle: async () => {
          resetClock();
          return { status: 200, body: { now: clock.now().toISOString() } };
        },
      },
      {
        method: 'GET',
        path: '/api/local/dead-letters',
        handle: async () => ({ status: 200, body: { items: await poller.listDeadLetters() } }),
      },
      {
        method: 'POST',
        path: '/api/local/dead-letters/{id}/replay',
        handle: async ({ params }) => {
          try {
            return { status: 200, body: await poller.replayDeadLetter(params.id!) };
          } catch (error) {
            if (!(error instanceof DeadLetterNotFoundError)) throw error;
            return {
              status: 404,
              body: { error: { code: 'NOT_FOUND', message: 'No dead letter has this id. GET /api/local/dead-letters lists them.' } },
            };
          }
        },
      },
      {
        method: 'POST',
        path: '/api/local/streams/drain',
        handle: async () => {
          // Generous: after a burst test the mail backlog alone can keep a 2-core machine busy for
          // longer than the poller's default wait, and a drain that gives up early fails a test
          // that would have passed a few seconds later.
          await poller.waitForIdle({ timeoutMs: 60_000 });
          return { status: 200, body: { idle: true } };
        },
      },
    ];

    localRoutes.push(
      {
        // What SES would publish to EventBridge for a certificate's email, through the same handlers.
        method: 'POST',
        path: '/api/local/ses-events',
        handle: async ({ body }) => {
          const parsed = sesEventRequestSchema.safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          try {
            const event = await buildSesEvent(parsed.data);
            return { status: 200, body: { event: { id: event.id, 'detail-type': event['detail-type'] }, results: await dispatchEvent(event, eventRules) } };
          } catch (error) {
            if (!(error instanceof UnknownCertificateError)) throw error;
            return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No certificate has this id.' } } };
          }
        },
      },
      { method: 'GET', path: '/api/local/faults', handle: async () => ({ status: 200, body: { points: faultReport() } }) },
      {
        // Makes the next `times` passes of a step fail, as a crash there would.
        method: 'POST',
        path: '/api/local/faults',
        handle: async ({ body }) => {
          const parsed = faultBody.safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          armFault(parsed.data.point, parsed.data.times);
          return { status: 200, body: { points: faultReport() } };
        },
      },
    );

    // EventBridge's rate rules become intervals of real time; the route below fires one at once.
    for (const job of scheduled) {
      const timer = setInterval(() => {
        job.run().catch((error: unknown) => log(`schedule ${job.definition.name} failed: ${error instanceof Error ? error.message : String(error)}`));
      }, job.definition.everyMinutes * 60_000);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    localRoutes.push({
      method: 'POST',
      path: '/api/local/schedules/{name}/run',
      handle: async ({ params }) => {
        const job = scheduled.find((candidate) => candidate.definition.name === params.name);
        if (!job) {
          return {
            status: 404,
            body: { error: { code: 'NOT_FOUND', message: `No schedule is named ${params.name}; known: ${scheduled.map((j) => j.definition.name).join(', ') || 'none'}.` } },
          };
        }
        return { status: 200, body: { ran: job.definition.name, result: (await job.run()) ?? null } };
      },
    });

    localRoutes.push(apiDocsRoute());

    // The web app when asked for and built (npm start builds it); the page of URLs otherwise.
    const webApp = options.webDirectory
      ? webAppServer(options.webDirectory, { auth: { kind: 'local' }, publicBaseUrl: urls.api })
      : undefined;
    let ready = false;
    const server: Server = await startGateway({
      port: ports.api,
      issuer,
      routes,
      localRoutes,
      isReady: () => ready,
      serveStatic: webApp ?? ((requestPath) =>
        requestPath === '/' ? { contentType: 'text/html; charset=utf-8', body: startPage(urls) } : undefined),
      log,
    });
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    ready = true;

    return { urls, poller, dataDirectory, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
