/**
 * A value loaded once per container (a key read from Secrets Manager): every caller shares one
 * load; a failed load (throttling, a network blip) is not cached, so the next call tries again.
 */
export function cachedLoad<T>(load: () => Promise<T>): { get: () => Promise<T>; forget: () => void } {
  let cached: Promise<T> | undefined;
  return {
    get: () => {
      cached ??= load().catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      return cached;
    },
    forget: () => {
      cached = undefined;
    },
  };
}
