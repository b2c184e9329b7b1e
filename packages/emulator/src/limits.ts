/**
 * Per-account request rate, per action, in one-second windows of emulator time: what
 * RequestLimitExceeded reports.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { second: number; count: number }>();
  readonly #perSecond: number;

  constructor(perSecond: number) {
    this.#perSecond = perSecond;
  }

  /** Counts a request; false when it is over the limit. */
  allow(accountId: string, action: string, now: number): boolean {
    const key = `${accountId}\n${action}`;
    const second = Math.floor(now / 1000);
    const window = this.#windows.get(key);
    if (!window || window.second !== second) {
      if (this.#windows.size > 10_000) this.#windows.clear(); // bounded: stale windows are worthless
      this.#windows.set(key, { second, count: 1 });
      return true;
    }
    window.count++;
    return window.count <= this.#perSecond;
  }
}
