import path from 'node:path';
import { asInvocation, isolateInvocations } from './invocations';
import { asFunction, enforcePermissions, type FunctionIdentity } from './permissions';

const repositoryRoot = path.resolve(import.meta.dirname, '..');

/**
 * Makes the clients every handler of this thread shares refuse what the calling function's role
 * would not allow. Each thread of the local runtime has its own clients, so each calls this once.
 */
export async function enforceFunctionPermissions(log: (line: string) => void): Promise<void> {
  const [{ dynamoDb }, { s3 }, { ses }] = await Promise.all([
    import('../shared/store/client'),
    import('../shared/files/client'),
    import('../shared/mail/client'),
  ]);
  enforcePermissions({ dynamodb: dynamoDb, s3, ses }, (fn, action) => log(`AccessDenied: ${fn.name} may not ${action} (shared/manifest.ts permissions)`));
}

/**
 * Each manifest entry's handler, run as that function (its permissions checked on every call),
 * each call an invocation of its own (local/invocations.ts). Imported only when asked: the
 * handlers' clients read the environment when they load.
 */
export async function loadHandlers<D extends FunctionIdentity & { handler: string }, H extends (...args: never[]) => Promise<unknown>>(
  definitions: readonly D[],
): Promise<{ definition: D; handler: H }[]> {
  isolateInvocations();
  return Promise.all(
    definitions.map(async (definition) => {
      const module = (await import(path.join(repositoryRoot, definition.handler))) as { handler: H };
      const identity: FunctionIdentity = { name: definition.name, permissions: definition.permissions };
      const handler = module.handler as (...args: Parameters<H>) => Promise<Awaited<ReturnType<H>>>;
      return { definition, handler: asFunction(identity, asInvocation(handler)) as unknown as H };
    }),
  );
}
