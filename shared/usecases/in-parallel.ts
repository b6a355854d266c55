/**
 * Runs `work` over the items with at most `limit` in flight: the scheduled jobs send many emails,
 * and each send waits on SES and a claim, so a few at once keep the job inside its timeout
 * without bursting past the account's send rate.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
