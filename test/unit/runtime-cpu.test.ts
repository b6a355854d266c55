/**
 * The benchmarks split the machine's CPU between the gateway's thread, the workers' threads and
 * DynamoDB Local's JVM (bench/cpu.ts). The split is only worth reading if each thread's counter
 * holds that thread's work and nobody else's.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineCpu, processCpuMs, threadCpuMs } from '../../local/cpu';
import { startWorkerThread, type WorkerThread } from '../../local/worker-thread';
import type { SpinWorker } from '../support/spin-worker';
import { spinFor } from '../support/spin';

const BURN_MS = 200;

describe.skipIf(!fs.existsSync('/proc/thread-self/stat'))('CPU time per thread (Linux /proc)', () => {
  let worker: WorkerThread<SpinWorker>;
  beforeAll(async () => {
    worker = await startWorkerThread<SpinWorker>(new URL('../support/spin-worker.ts', import.meta.url), undefined, { log: () => undefined });
  });
  afterAll(async () => {
    await worker.terminate();
  });

  it("counts a worker's work in that worker's counter, not in the calling thread's", async () => {
    const here = threadCpuMs()!;
    const there = (await worker.threadCpuMs())!;
    await worker.call('spin', BURN_MS);
    const workerSpent = (await worker.threadCpuMs())! - there;
    const callerSpent = threadCpuMs()! - here;
    expect(workerSpent).toBeGreaterThanOrEqual(BURN_MS);
    expect(callerSpent).toBeLessThan(BURN_MS / 2);
  });

  it("counts the calling thread's work in its own counter, not in the worker's, and both in the process's", async () => {
    const here = threadCpuMs()!;
    const there = (await worker.threadCpuMs())!;
    const processBefore = processCpuMs(process.pid)!;
    const machineBefore = machineCpu()!;
    spinFor(BURN_MS);
    const callerSpent = threadCpuMs()! - here;
    const workerSpent = (await worker.threadCpuMs())! - there;
    const machineAfter = machineCpu()!;
    expect(callerSpent).toBeGreaterThanOrEqual(BURN_MS);
    expect(workerSpent).toBeLessThan(BURN_MS / 2);
    expect(processCpuMs(process.pid)! - processBefore).toBeGreaterThanOrEqual(BURN_MS);
    // The machine was busy at least while this thread was; its capacity counts idle time too.
    expect(machineAfter.busyMs - machineBefore.busyMs).toBeGreaterThanOrEqual(BURN_MS - 20);
    expect(machineAfter.totalMs - machineBefore.totalMs).toBeGreaterThanOrEqual(machineAfter.busyMs - machineBefore.busyMs);
  });

  it('answers undefined for a process that is not there, rather than throwing', () => {
    expect(processCpuMs(undefined)).toBeUndefined();
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
  });
});
