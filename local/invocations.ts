/**
 * On AWS each container runs one invocation at a time, so a handler module's logger and batch
 * processor belong to that invocation. The local runtime runs every function of a thread in one
 * module instance and many invocations at once (64 requests in the gateway, both stream consumers
 * beside the schedules in the functions' thread). A shared logger would stamp one consumer's
 * warning with another's function name and request id, and two concurrent deliveries to one
 * consumer would share its batch processor's records and failures.
 *
 * Lambda's runtime meets the same problem where one environment takes several invocations
 * (Lambda Managed Instances): it sets AWS_LAMBDA_MAX_CONCURRENCY and runs each invocation inside
 * its InvokeStore (`globalThis.awslambda.InvokeStore`), where Powertools' logger and batch
 * processor keep their per-invocation state. The local runtime installs a store of its own in
 * that place and runs every invocation in it, so the handlers run unchanged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';

/** The most invocations one thread of the local runtime runs at once (the gateway's slots). */
const LOCAL_MAX_CONCURRENCY = '64';

type InvocationValues = Parameters<InvokeStoreBase['run']>[0];

/**
 * Lambda's own multi-invocation store throws on a write outside an invocation, and Powertools'
 * batch processor writes its empty response when it is constructed: at a module's top level,
 * before any invocation. Here such writes land in the values outside any invocation, which
 * every invocation reads past (it has its own).
 */
class LocalInvokeStore extends InvokeStoreBase {
  readonly #invocations = new AsyncLocalStorage<InvocationValues>();
  readonly #outsideAnyInvocation: InvocationValues = {};

  getContext(): InvocationValues | undefined {
    return this.#invocations.getStore();
  }

  hasContext(): boolean {
    return this.#invocations.getStore() !== undefined;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return (this.#invocations.getStore() ?? this.#outsideAnyInvocation)[key] as T | undefined;
  }

  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    (this.#invocations.getStore() ?? this.#outsideAnyInvocation)[key] = value;
  }

  run<T>(values: InvocationValues, fn: () => T): T {
    return this.#invocations.run(values, fn);
  }
}

let store: InvokeStoreBase | undefined;

/**
 * Makes this thread an environment of concurrent invocations. The store is in place before the
 * variable is set: Powertools refuses the variable without a store. Idempotent.
 */
export function isolateInvocations(): void {
  const lambdaGlobal = ((globalThis as { awslambda?: { InvokeStore?: InvokeStoreBase } }).awslambda ??= {});
  store = lambdaGlobal.InvokeStore ??= new LocalInvokeStore();
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= LOCAL_MAX_CONCURRENCY;
}

/**
 * The environment for a new thread: without the variable, which each thread sets itself with its
 * own store (a worker does not share this one), since Powertools' first log in a thread that has
 * the variable but no store throws.
 */
export function environmentForNewThread(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_LAMBDA_MAX_CONCURRENCY: _ownedByEachThread, ...rest } = env;
  return rest;
}

/** The handler, each call of it one invocation with its own store (keyed by the context's request id). */
export function asInvocation<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args: A) => {
    if (!store) throw new Error('Call isolateInvocations() before running a handler as an invocation.');
    const context = args[1] as { awsRequestId?: unknown } | undefined;
    const requestId = typeof context?.awsRequestId === 'string' ? context.awsRequestId : randomUUID();
    return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () => handler(...args));
  };
}
