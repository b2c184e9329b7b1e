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
  const timed = timeout > 0 && timeout < MAX_TIMEOUT;
  if (!signal && !timed) return promise;
  return new Promise<T>((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    const timer = timed ? setTimeout(() => settle(() => reject(onTimeout())), timeout) : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
