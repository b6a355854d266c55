/**
 * Sending within the SES quota, whatever the number of workers.
 *
 * The quota is "at most N messages per second" for the account, so the limiter is a per-second
 * window counter in the table (store/send-rate.ts): one conditional ADD per email, no read, no
 * lock. A token bucket would smooth bursts at the edge of a second, but it needs a read, a refill
 * computed from the last update and a write conditional on that read: every concurrent worker
 * would contend on one item and retry. The window can let 2·N through across a second's edge;
 * SES absorbs short bursts, and a throttling answer that still comes is retried below.
 */
import { optionalEnv } from '../env';
import { takeSendSlot } from '../store/send-rate';

/** SES's default production quota; set MAIL_MAX_SEND_RATE to the account's own. */
export const DEFAULT_MAX_SEND_RATE = 14;

export function maxSendRate(): number {
  const configured = optionalEnv('MAIL_MAX_SEND_RATE');
  // The contract (shared/env.ts) has refused anything but a whole number of at least 1.
  return configured === undefined ? DEFAULT_MAX_SEND_RATE : Number(configured);
}

/** The quota is exhausted for longer than a worker should wait; the record is retried by the stream. */
export class SendRateExceededError extends Error {
  constructor(waitedMs: number) {
    super(`No sending slot became free within ${waitedMs} ms`);
    this.name = 'SendRateExceededError';
  }
}

export interface Pacing {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const realPacing: Pacing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Waits for a free slot in the current second. Real time, not the app clock: the quota is about
 * the seconds SES counts, and the local clock may be moved by a demo. Jitter spreads the workers
 * that all wake at the next second's edge.
 */
export async function acquireSendSlot(
  options: { maxPerSecond?: number; maxWaitMs?: number; pacing?: Pacing; take?: typeof takeSendSlot } = {},
): Promise<void> {
  const { maxPerSecond = maxSendRate(), maxWaitMs = 30_000, pacing = realPacing, take = takeSendSlot } = options;
  const started = pacing.now();
  for (;;) {
    const now = pacing.now();
    const second = Math.floor(now / 1000);
    if (await take(second, maxPerSecond)) return;
    if (now - started >= maxWaitMs) throw new SendRateExceededError(now - started);
    const untilNextSecond = (second + 1) * 1000 - now;
    await pacing.sleep(untilNextSecond + Math.floor(pacing.random() * 100));
  }
}

const THROTTLING_NAMES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);

/** SES says "too fast": SESv2's TooManyRequestsException, the Query API's Throttling, or the rate text. */
export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING_NAMES.has(error.name) || status === 429 || /maximum sending rate exceeded/i.test(error.message);
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pacing?: Pacing;
}

/**
 * Retries throttling with exponential backoff and full jitter (a random delay up to base·2^n,
 * capped), so workers throttled together do not come back together. Any other error, and the
 * last throttling error, goes to the caller: a throttled send was not accepted, so the caller may
 * give its email claim back and let the stream retry the record.
 */
export async function retryThrottling<T>(send: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 6, baseDelayMs = 200, maxDelayMs = 5_000, pacing = realPacing } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isThrottling(error) || attempt >= attempts) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await pacing.sleep(Math.floor(pacing.random() * ceiling));
    }
  }
}
