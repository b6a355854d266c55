/**
 * The one clock every rule, handler, scheduler and consumer reads.
 *
 * On AWS it is the system clock. The local runtime may shift it (POST /api/local/clock) so that a
 * demo or a test can walk a training from registration to its last session; the shift is an
 * offset, so time keeps moving after it is set — check-in codes rotate as they would in reality.
 */
/** A day in milliseconds: durations in the rules are whole days of 24 hours (Almaty keeps no DST). */
export const DAY_MS = 86_400_000;

let offsetMs = 0;

export const clock = {
  now(): Date {
    return new Date(Date.now() + offsetMs);
  },
  nowMs(): number {
    return Date.now() + offsetMs;
  },
};

export function setClock(now: Date): void {
  offsetMs = now.getTime() - Date.now();
}

export function resetClock(): void {
  offsetMs = 0;
}
