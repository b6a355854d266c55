/**
 * The burst's clients, in a worker thread of their own (bench/registration-burst.ts): each token
 * registers once, all at the same moment.
 */
import { threadCpuMs } from '../local/cpu';
import { serveWorker } from '../local/worker-thread';
import { post } from './http';

const clients = {
  async burst(url: string, tokens: string[]) {
    const started = performance.now();
    const cpuBefore = threadCpuMs();
    const results = await Promise.all(tokens.map((token, index) => post(url, '', { fullName: `Мұғалім ${index}` }, token)));
    const cpuAfter = threadCpuMs();
    // The clients' own CPU, so the report can leave it out of the platform's.
    const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? 0 : cpuAfter - cpuBefore;
    return { results, wallMs: performance.now() - started, cpuMs };
  },
};

export type BurstClients = typeof clients;

serveWorker(() => Promise.resolve(clients));
