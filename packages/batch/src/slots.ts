/**
 * A counting gate whose limit may change: `acquire` waits while `active` is at the limit. The
 * batch uses one for the account's concurrent jobs (a limit it learns) and one for downloads.
 */
export class Slots {
  limit: number;
  active = 0;
  readonly #waiting: { wake: () => void; fail: (reason: unknown) => void }[] = [];
  #closed: { reason: unknown } | undefined;

  constructor(limit: number) {
    this.limit = limit;
  }

  /**
   * Takes a slot, waiting for one if none is free; rejects with the signal's reason on abort, or
   * with the reason given to {@link close}. Many waiters should share `close`, not each a signal
   * (every signal listener counts toward the runtime's leak warning).
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.active >= this.limit) {
      signal?.throwIfAborted();
      if (this.#closed) throw this.#closed.reason;
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          wake: () => {
            signal?.removeEventListener("abort", abort);
            resolve();
          },
          fail: (reason: unknown) => {
            signal?.removeEventListener("abort", abort);
            reject(reason);
          },
        };
        const abort = () => {
          this.#waiting.splice(this.#waiting.indexOf(waiter) >>> 0, 1);
          reject(signal?.reason);
        };
        this.#waiting.push(waiter);
        signal?.addEventListener("abort", abort, { once: true });
      });
    }
    this.active++;
  }

  /** Takes a slot whatever the limit (a job that already exists holds one). */
  take(): void {
    this.active++;
  }

  /** Gives a slot back, and lets waiters try again. */
  release(): void {
    this.active--;
    this.wake();
  }

  /** Lets every waiter look at the limit again (after it was raised). */
  wake(): void {
    for (const { wake } of this.#waiting.splice(0)) wake();
  }

  /** Rejects every waiter, now and later, with `reason`. */
  close(reason: unknown): void {
    this.#closed = { reason };
    for (const { fail } of this.#waiting.splice(0)) fail(reason);
  }
}
