/**
 * Counts the DynamoDB requests the handlers send, per function and per command, with a middleware
 * on the shared document client (the same module instance the local stack's handlers use, so load
 * this after startLocalStack has set the environment). A retried request counts again: the figure
 * is what DynamoDB is asked, not what the code meant to ask.
 */
import { currentFunction } from '../local/permissions';

export interface DynamoDbCallCounter {
  /** Requests by `function` → `command` since the last reset. */
  byFunction(): Map<string, Map<string, number>>;
  total(functionName: string): number;
  reset(): void;
}

export async function countDynamoDbCalls(): Promise<DynamoDbCallCounter> {
  const { documentClient } = await import('../shared/store/client');
  let counts = new Map<string, Map<string, number>>();
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const functionName = currentFunction()?.name ?? '(runtime)';
      const commands = counts.get(functionName) ?? new Map<string, number>();
      counts.set(functionName, commands);
      const command = context.commandName ?? 'unknown';
      commands.set(command, (commands.get(command) ?? 0) + 1);
      return next(args);
    },
    // After the SDK's own retries are added: each attempt on the wire counts.
    { step: 'finalizeRequest', name: 'benchDynamoDbCalls' },
  );
  return {
    byFunction: () => counts,
    total: (functionName) => [...(counts.get(functionName)?.values() ?? [])].reduce((sum, count) => sum + count, 0),
    reset: () => {
      counts = new Map();
    },
  };
}

/** `GetItem 2, TransactWriteItems 1.5, …` per unit of work, largest first. */
export function perUnit(commands: Map<string, number> | undefined, units: number): string {
  return [...(commands ?? new Map<string, number>()).entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([command, count]) => `${command.replace(/Command$/, '')} ${(count / units).toFixed(2)}`)
    .join(', ');
}
