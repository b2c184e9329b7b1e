/**
 * A rate limit on the calls that take from it: at most `perSecond` a second on average, and at
 * most `burst` at once (the generic cell rate algorithm: each call is given the next free point
 * in time). `burst: 1` spaces calls evenly; a larger one lets a quiet caller catch up at once.
 * It never waits itself: `take` says how long the caller must, `delay` peeks without taking.
 *
 * @example
 * ```ts
 * const window = new RateWindow(20);
 * const signal = AbortSignal.timeout(60_000); // or your caller's
 * await sleep(window.take(Date.now()), signal); // then send
 * ```
 */
export class RateWindow {
  readonly #interval: number;
  readonly #tolerance: number;
  /** When the call after the last one taken is due, were calls evenly spaced. */
  #due = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number, { burst = 1 }: { burst?: number } = {}) {
    if (!(perSecond > 0)) throw new RangeError(`a rate must be above 0 calls a second, not ${perSecond}`);
    this.#interval = 1000 / perSecond;
    this.#tolerance = (Math.max(1, burst) - 1) * this.#interval;
  }

  /** How many ms from `now` until a call may start (0: at once), without taking one. */
  delay(now: number): number {
    return Math.max(0, this.#due - this.#tolerance - now);
  }

  /** Takes the next call: returns how many ms from `now` the caller must wait before making it. */
  take(now: number): number {
    const wait = this.delay(now);
    this.#due = Math.max(this.#due, now) + this.#interval;
    return wait;
  }
}
