/**
 * Waits `ms` milliseconds, or rejects with the signal's reason the moment it aborts; removes its
 * abort listener either way. Used by the retry and poller plugins; handy for your own waits.
 *
 * @example
 * ```ts
 * await sleep(1_000, AbortSignal.timeout(5_000));
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
