import net from 'node:net';

/** Thrown when a service cannot start for a reason the person running it can fix. */
export class LocalStackError extends Error {}

export async function assertPortFree(port: number, service: string, envVar: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
  if (!free) {
    throw new LocalStackError(
      `Port ${port} (${service}) is already in use. Stop the program using it ` +
        `(\`lsof -i :${port}\` shows which) or choose another port with ${envVar}=<port>.`,
    );
  }
}

/** A port the OS reports free right now; tests use it to run side by side with `npm start`. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function waitUntil(
  check: () => Promise<boolean>,
  { timeoutMs, intervalMs = 100, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new LocalStackError(`${what} did not become ready within ${timeoutMs / 1000} s.`);
}
