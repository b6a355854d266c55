/**
 * What a benchmark measures inside the functions' thread (functions-worker.ts), where the
 * consumers run: the DynamoDB requests each function sends, per command, and when each email
 * went out. Middlewares on the shared document and SES clients of that thread; a retried
 * request counts again, so the figure is what DynamoDB is asked, not what the code meant to ask.
 */
import { currentFunction } from './permissions';

/** Requests by function name → command name. */
export type CallCounts = Record<string, Record<string, number>>;

export interface Instruments {
  calls(): CallCounts;
  /** Epoch milliseconds (comparable across threads) of every SES send since the last reset. */
  emailsSentAt(): number[];
  reset(): void;
}

let installed: Promise<Instruments> | undefined;

/** Installs the middlewares once per thread; later calls return the same instruments. */
export function instruments(): Promise<Instruments> {
  return (installed ??= install());
}

async function install(): Promise<Instruments> {
  const [{ documentClient }, { ses }] = await Promise.all([import('../shared/store/client'), import('../shared/mail/client')]);
  let counts: CallCounts = {};
  let sentAt: number[] = [];
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const functionName = currentFunction()?.name ?? '(runtime)';
      const commands = (counts[functionName] ??= {});
      const command = context.commandName ?? 'unknown';
      commands[command] = (commands[command] ?? 0) + 1;
      return next(args);
    },
    // After the SDK's own retries are added: each attempt on the wire counts.
    { step: 'finalizeRequest', name: 'benchDynamoDbCalls' },
  );
  ses.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      sentAt.push(performance.timeOrigin + performance.now());
      return result;
    },
    { step: 'initialize', name: 'benchSentAt' },
  );
  return {
    calls: () => counts,
    emailsSentAt: () => sentAt,
    reset: () => {
      counts = {};
      sentAt = [];
    },
  };
}

/** A function's requests in all. */
export function totalCalls(counts: CallCounts, functionName: string): number {
  return Object.values(counts[functionName] ?? {}).reduce((sum, count) => sum + count, 0);
}

/** `GetItem 2, TransactWriteItems 1.5, …` per unit of work, largest first. */
export function perUnit(commands: Record<string, number> | undefined, units: number): string {
  return Object.entries(commands ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([command, count]) => `${command.replace(/Command$/, '')} ${(count / units).toFixed(2)}`)
    .join(', ');
}
