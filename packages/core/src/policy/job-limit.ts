/** After this long without a JobNumExceed, one more concurrent job is tried; each try refused doubles it (to an hour). */
const FIRST_PROBE_MS = 60_000;
const LAST_PROBE_MS = 3_600_000;

/**
 * An account's concurrent-job limit, learnt from `RequestLimitExceeded.JobNumExceed`: the jobs
 * running when a Submit is refused are the limit (at least one, whoever holds them). After a quiet
 * while, one more job is tried (the account may have room again), and each try the account refuses
 * doubles that while, up to an hour. `@vclm/batch` keeps to one, and so does `@vclm/workers`' coordinator.
 *
 * @example
 * ```ts
 * const limit = new JobLimit();
 * // on JobNumExceed, with 3 of our jobs running:
 * limit.refused(3, Date.now()); // limit.value is 3
 * // when one of them ends:
 * limit.ended(Date.now()); // after a quiet minute, limit.value is 4 for one try
 * ```
 */
export class JobLimit {
  /** Jobs to keep running at most now. */
  value: number;
  /** The fewest jobs running when the account refused one more; undefined before the first refusal (or `max` if given). */
  learnt: number | undefined;
  readonly #max: number;
  #lastRefusal: number;
  #gap = FIRST_PROBE_MS;

  /** `max`: the limit, if known (never exceeded); `value`: where to start (a limit kept from before). */
  constructor({ max, value, now = 0 }: { max?: number | undefined; value?: number | undefined; now?: number } = {}) {
    this.#max = max ?? Number.POSITIVE_INFINITY;
    this.value = value ?? this.#max;
    this.learnt = max;
    this.#lastRefusal = now;
  }

  /** A Submit was refused with JobNumExceed while `running` jobs of ours ran. True when the limit went down. */
  refused(running: number, now: number): boolean {
    if (this.learnt !== undefined) this.#gap = Math.min(LAST_PROBE_MS, this.#gap * 2); // a try found no room
    const full = Math.max(1, running);
    this.learnt = Math.min(this.learnt ?? Number.POSITIVE_INFINITY, full);
    this.#lastRefusal = now;
    if (full >= this.value) return false;
    this.value = full;
    return true;
  }

  /** A job ended (or a round begins): after a quiet while, one more job may be tried. */
  ended(now: number): void {
    if (this.value < this.#max && now - this.#lastRefusal > this.#gap) {
      this.value++;
      this.#lastRefusal = now;
    }
  }
}
