/**
 * The burst's clients, in a worker thread of their own (bench/registration-burst.ts): each token
 * registers once, all at the same moment.
 */
import { serveWorker } from '../local/worker-thread';
import { post } from './http';

const clients = {
  async burst(url: string, tokens: string[]) {
    const started = performance.now();
    const results = await Promise.all(tokens.map((token, index) => post(url, '', { fullName: `Мұғалім ${index}` }, token)));
    return { results, wallMs: performance.now() - started };
  },
};

export type BurstClients = typeof clients;

serveWorker(() => Promise.resolve(clients));
