// setTimeout's ceiling: a larger timeout means none.
export const MAX_TIMEOUT = 2_147_483_647;

/**
 * Settles with `promise`, unless `signal` aborts first (rejects with its reason) or `timeout` ms
 * pass first (rejects with `onTimeout()`). The promise itself is not cancelled: whoever shares it
 * keeps it. Listeners and timers are removed whichever way it ends.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  { signal, timeout, onTimeout }: { signal?: AbortSignal | undefined; timeout: number; onTimeout: () => Error },
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const timed = timeout > 0 && timeout < MAX_TIMEOUT;
  if (!signal && !timed) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(signal?.reason));
    const timer = timed ? setTimeout(() => finish(() => reject(onTimeout())), timeout) : undefined;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
