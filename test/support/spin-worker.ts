/** A worker thread that burns CPU on request (test/unit/runtime-cpu.test.ts). */
import { serveWorker } from '../../local/worker-thread';
import { spinFor } from './spin';

const api = {
  spin: async (ms: number) => spinFor(ms),
};

export type SpinWorker = typeof api;

serveWorker(() => Promise.resolve(api));
