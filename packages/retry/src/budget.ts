/**
 * A retry budget shared by all calls of a client: a token bucket that retries spend and
 * successes refill, so a service that keeps failing is retried less and less.
 */
export class RetryBudget {
  #tokens: number;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#tokens = capacity;
  }

  /** Spends `cost` tokens for a retry; false (nothing spent) when there are not enough. */
  spend(cost: number): boolean {
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** A success gives a token back. */
  refill(): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + 1);
  }

  get tokens(): number {
    return this.#tokens;
  }
}
