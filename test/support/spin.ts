import { threadCpuMs } from '../../local/cpu';

/** Keeps the calling thread busy until it has used `ms` of CPU (or 10 s have passed on a starved machine). */
export function spinFor(ms: number): void {
  const start = threadCpuMs() ?? 0;
  const deadline = Date.now() + 10_000;
  while ((threadCpuMs() ?? Number.POSITIVE_INFINITY) - start < ms && Date.now() < deadline) {
    // busy on purpose
  }
}
