/**
 * The pause before trying again after the `attempt`-th failure in a row (from 1): exponential from
 * `first`, at most `max`, with full jitter (a random point between 0 and that step's ceiling), so
 * clients that failed together do not come back together. Whole milliseconds.
 *
 * @example
 * ```ts
 * const signal = AbortSignal.timeout(60_000); // or your caller's
 * for (let attempt = 1; attempt <= 3; attempt++) await sleep(backoff(attempt, { first: 100, max: 20_000 }, Math.random), signal);
 * ```
 */
export function backoff(attempt: number, { first, max }: { first: number; max: number }, random: () => number): number {
  const ceiling = Math.min(max, first * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
