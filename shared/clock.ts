/**
 * The one clock every rule, handler, scheduler and consumer reads.
 *
 * On AWS it is the system clock. The local runtime may shift it (POST /api/local/clock) so that a
 * demo or a test can walk a training from registration to its last session; the shift is an
 * offset, so time keeps moving after it is set — check-in codes rotate as they would in reality.
 *
 * The offset lives in shareable memory: the local runtime runs its stream consumers in a worker
 * thread (as Lambda runs them apart from the API), and a clock moved by the gateway must be moved
 * for the consumers at the same instant, not a message later.
 */
/**
 * Shareable memory where the platform has it (Node, Lambda). A browser page that is not
 * cross-origin isolated has no SharedArrayBuffer, and the web app reads this clock too.
 */
export function shareableMemory(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'undefined' ? new ArrayBuffer(bytes) : new SharedArrayBuffer(bytes);
}

/** The memory to hand to a worker thread: only shared memory is seen by both threads. */
export function asShared(buffer: ArrayBufferLike): SharedArrayBuffer {
  if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) {
    throw new Error('This platform has no shared memory to hand to a worker thread.');
  }
  return buffer;
}

let offsetMs = new BigInt64Array(shareableMemory(BigInt64Array.BYTES_PER_ELEMENT));

function offset(): number {
  return Number(Atomics.load(offsetMs, 0));
}

export const clock = {
  now(): Date {
    return new Date(Date.now() + offset());
  },
  nowMs(): number {
    return Date.now() + offset();
  },
};

export function setClock(now: Date): void {
  Atomics.store(offsetMs, 0, BigInt(Math.round(now.getTime() - Date.now())));
}

export function resetClock(): void {
  Atomics.store(offsetMs, 0, 0n);
}

/** This thread's clock offset, for the local runtime to hand to a worker thread. */
export function clockMemory(): SharedArrayBuffer {
  return asShared(offsetMs.buffer);
}

/** Makes this thread read (and move) the clock of the thread that handed over its memory. */
export function shareClock(memory: SharedArrayBuffer): void {
  offsetMs = new BigInt64Array(memory);
}

/** A day in milliseconds: durations in the rules are whole days of 24 hours (Almaty keeps no DST). */
export const DAY_MS = 86_400_000;
