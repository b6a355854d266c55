/**
 * A part of the local runtime in a worker thread of its own (the stream consumers, the S3 and SES
 * emulators), so its work runs on its own event loop and never makes a gateway request wait, as
 * on AWS, where the API, the consumers and the services are separate machines. The thread offers
 * an API of async methods; the parent calls them by name over the thread's message port.
 *
 * Values cross by structured clone: plain data only. An error crosses as its name and message and
 * is thrown again in the parent as an Error of that name, so `instanceof` checks turn into
 * `error.name` checks (see `isRemoteError`).
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { threadCpuMs } from './cpu';
import { environmentForNewThread } from './invocations';

/** Methods a worker thread offers; each takes and returns plain data. */
export type WorkerApi = Record<string, (...args: never[]) => Promise<unknown>>;

type ToWorker = { kind: 'call'; id: number; method: string; args: unknown[] } | { kind: 'cpu'; id: number };
type FromWorker =
  | { kind: 'ready' }
  | { kind: 'start-failed'; error: RemoteErrorData }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: RemoteErrorData }
  | { kind: 'log'; line: string };

interface RemoteErrorData {
  name: string;
  message: string;
  stack?: string;
}

export interface WorkerThread<Api extends WorkerApi> {
  call<M extends keyof Api & string>(method: M, ...args: Parameters<Api[M]>): Promise<Awaited<ReturnType<Api[M]>>>;
  /** The CPU time this thread has used, in ms (local/cpu.ts; undefined where /proc is missing). */
  threadCpuMs(): Promise<number | undefined>;
  /** Ends the thread at once; call the thread's own stop method first to let it finish its work. */
  terminate(): Promise<void>;
}

/** True when `error` is one the worker threw as `name` (an Error subclass does not survive the crossing). */
export function isRemoteError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

function asErrorData(error: unknown): RemoteErrorData {
  if (error instanceof Error) {
    // `class NotFound extends Error {}` keeps the name 'Error'; its class name is what callers test.
    const name = error.name === 'Error' ? error.constructor.name : error.name;
    return { name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

function asError(data: RemoteErrorData): Error {
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

const tsxApi = import.meta.resolve('tsx/esm/api');

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Starts `entry` (a .ts module that calls `serveWorker`) in a worker thread and resolves once it
 * is ready. A worker does not inherit the parent's module hooks on Node 20, so the thread
 * registers tsx itself before it loads the module.
 */
export async function startWorkerThread<Api extends WorkerApi>(
  entry: URL,
  data: unknown,
  options: { log: (line: string) => void; env?: NodeJS.ProcessEnv },
): Promise<WorkerThread<Api>> {
  const bootstrap = [
    `import { register } from ${JSON.stringify(tsxApi)};`,
    'register();',
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    workerData: data,
    env: environmentForNewThread(options.env ?? process.env),
    // The parent's loader flags (tsx's) are re-registered above; inheriting them would load it twice.
    execArgv: [],
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      exited = true;
      for (const call of pending.values()) call.reject(new Error(`The ${entry.pathname.split('/').pop()} thread exited (${code}).`));
      pending.clear();
      resolve();
    });
  });

  await new Promise<void>((resolve, reject) => {
    worker.on('error', (error) => {
      options.log(`worker ${entry.pathname.split('/').pop()}: ${error.message}`);
      reject(error);
    });
    worker.once('exit', (code) => reject(new Error(`The ${entry.pathname.split('/').pop()} thread exited (${code}) before it was ready.`)));
    worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'ready':
          return resolve();
        case 'start-failed':
          return reject(asError(message.error));
        case 'log':
          return options.log(message.line);
        case 'result':
        case 'error': {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.kind === 'result') call?.resolve(message.value);
          else call?.reject(asError(message.error));
        }
      }
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  const send = <T>(message: DistributiveOmit<ToWorker, 'id'>) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`The ${entry.pathname.split('/').pop()} thread has stopped.`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id } satisfies ToWorker);
    });
  return {
    call: (method, ...args) => send({ kind: 'call', method, args }),
    threadCpuMs: () => send<number | undefined>({ kind: 'cpu' }),
    terminate: async () => {
      await worker.terminate();
      await exit;
    },
  };
}

/** The data the parent handed to this thread. */
export function workerInput<T>(): T {
  if (isMainThread) throw new Error('workerInput() is only for a module started by startWorkerThread().');
  return workerData as T;
}

/** A log line, sent to the parent's log. */
export function workerLog(line: string): void {
  parentPort?.postMessage({ kind: 'log', line } satisfies FromWorker);
}

/** Answers the parent's calls with `api` once `start` has resolved; a failed start is reported as such. */
export function serveWorker<Api extends WorkerApi>(start: () => Promise<Api>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker() is only for a module started by startWorkerThread().');
  start().then(
    (api) => {
      port.on('message', (message: ToWorker) => {
        if (message.kind === 'cpu') {
          port.postMessage({ kind: 'result', id: message.id, value: threadCpuMs() } satisfies FromWorker);
          return;
        }
        const method = api[message.method];
        const run = method
          ? Promise.resolve().then(() => (method as (...args: unknown[]) => Promise<unknown>)(...message.args))
          : Promise.reject(new Error(`This worker has no method ${message.method}.`));
        run.then(
          (value) => port.postMessage({ kind: 'result', id: message.id, value } satisfies FromWorker),
          (error: unknown) => port.postMessage({ kind: 'error', id: message.id, error: asErrorData(error) } satisfies FromWorker),
        );
      });
      port.postMessage({ kind: 'ready' } satisfies FromWorker);
    },
    (error: unknown) => port.postMessage({ kind: 'start-failed', error: asErrorData(error) } satisfies FromWorker),
  );
}

/**
 * Lowers this thread's CPU priority (Linux `nice`, per thread): on AWS the consumers run on
 * machines of their own and never take CPU from a request, so on a shared 2-core machine they
 * should yield to the gateway rather than compete with it. They still do all their work, and at
 * full speed whenever the gateway is idle. Elsewhere (no /proc/thread-self) it does nothing.
 */
export function yieldToTheGateway(niceness = 10): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) os.setPriority(threadId, niceness);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}
