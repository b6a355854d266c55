import { assertPortFree } from './ports';
import type { RunningService } from './mail-and-files';
import type { EmulatorsApi, EmulatorsInput } from './emulators-worker';
import { startWorkerThread } from './worker-thread';

/** The S3 and SES emulators, started in their own worker thread (emulators-worker.ts). */
export async function startEmulators(
  input: EmulatorsInput,
  log: (line: string) => void,
): Promise<{ ses: RunningService; s3: RunningService; threadCpuMs(): Promise<number | undefined> }> {
  // Checked here so that a busy port is the runtime's own LocalStackError, with its advice.
  await assertPortFree(input.ports.ses, 'SES emulator', 'SES_PORT');
  await assertPortFree(input.ports.s3, 'S3 emulator', 'S3_PORT');
  const thread = await startWorkerThread<EmulatorsApi>(new URL('./emulators-worker.ts', import.meta.url), input, { log });
  const endpoints = await thread.call('endpoints');
  let stopped: Promise<void> | undefined;
  // One thread holds both; whichever is stopped first stops the thread.
  const stop = () =>
    (stopped ??= thread.call('stop').finally(() => thread.terminate()));
  return { ses: { endpoint: endpoints.ses, stop }, s3: { endpoint: endpoints.s3, stop }, threadCpuMs: () => thread.threadCpuMs() };
}
