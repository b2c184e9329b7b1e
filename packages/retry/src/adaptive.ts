import { type Clock, systemClock } from "@vclm/core";

/**
 * A client-side request rate that adapts to the service (AIMD): unlimited until the first
 * throttle, then half the rate observed when throttled, and one request per second more for every
 * second without throttling. Calls wait for their turn.
 */
export class AdaptiveRateLimiter {
  #rate = Number.POSITIVE_INFINITY; // requests per second
  #next = 0; // when the next request may start
  #sent: number[] = []; // start times in the last second, to measure the rate
  #lastRaise = 0;
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** Waits until a request may start (or the signal aborts). */
  async acquire(signal: AbortSignal | undefined): Promise<void> {
    const now = this.#clock.now();
    if (Number.isFinite(this.#rate)) {
      const start = Math.max(now, this.#next);
      this.#next = start + 1000 / this.#rate;
      await this.#clock.sleep(start - now, signal);
    }
    const at = this.#clock.now();
    this.#sent.push(at);
    while ((this.#sent[0] as number) <= at - 1000) this.#sent.shift();
  }

  /** The service throttled: halve the rate actually being sent. */
  throttled(): void {
    const measured = Math.max(1, this.#sent.length);
    this.#rate = Math.max(0.5, Math.min(this.#rate, measured) / 2);
    this.#lastRaise = this.#clock.now();
  }

  /** A success: one request per second more, at most once a second. */
  succeeded(): void {
    if (!Number.isFinite(this.#rate)) return;
    const now = this.#clock.now();
    if (now - this.#lastRaise >= 1000) {
      this.#rate += 1;
      this.#lastRaise = now;
    }
  }

  /** The current limit in requests per second (Infinity before any throttling). */
  get rate(): number {
    return this.#rate;
  }
}
