/**
 * Runs `work`, and again after each delay while it keeps failing; the last failure is thrown.
 * For writes that may meet a passing fault (another process holding the database's write
 * lock): waiting asynchronously keeps every other conversation moving meanwhile.
 */
export async function retrying<T>(
  work: () => Promise<T>,
  delaysMs: readonly number[],
  onFailure?: (err: unknown, attempt: number, nextDelayMs: number | undefined) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const delay = delaysMs[attempt - 1];
      onFailure?.(e, attempt, delay);
      if (delay === undefined) throw e;
      await sleep(delay);
    }
  }
}

/** `count` delays doubling from `firstMs`, each capped at `maxMs`. */
export function backoff(count: number, firstMs: number, maxMs = 60_000): number[] {
  return Array.from({ length: count }, (_, i) => Math.min(firstMs * 2 ** i, maxMs));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
