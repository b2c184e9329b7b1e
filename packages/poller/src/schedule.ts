import type { Clock } from "@vclm/core";
import { backoff } from "@vclm/core/internal";

/**
 * When to look at a job again. Without a prior, the next check comes after 10% of the time the job
 * has taken so far (at least `minDelay`, at most `maxDelay`), so a finished job is noticed within
 * about 10% of its length. With a prior (how long such jobs take), the first checks aim at the
 * expected end, then go back to the 10% rule. Jitter only shortens a wait, never lengthens it.
 */
export interface DelayPolicy {
  /** @default 1_000 */
  readonly minDelay?: number;
  /** @default 30_000 */
  readonly maxDelay?: number;
  /** How long such jobs usually take, in ms: the poller aims its first check there. */
  readonly expectedDuration?: number | undefined;
}

export function nextDelay(
  elapsed: number,
  { minDelay = 1_000, maxDelay = 30_000, expectedDuration }: DelayPolicy,
  random: () => number,
): number {
  if (expectedDuration !== undefined && elapsed < expectedDuration - minDelay / 2) {
    return Math.max(minDelay / 2, expectedDuration - elapsed);
  }
  const base = Math.min(maxDelay, Math.max(minDelay, elapsed * 0.1));
  return Math.max(minDelay / 2, Math.round(base * (0.9 + 0.1 * random())));
}

/** A running estimate of how long jobs take (an exponentially weighted average), learnt from the ones seen finishing. */
export class DurationEstimate {
  #value: number | undefined;

  /** A job was seen done (or failed) after `duration` ms. */
  observe(duration: number): void {
    this.#value = this.#value === undefined ? duration : this.#value * 0.8 + duration * 0.2;
  }

  /** The estimate, a little early (90%) so the check lands just after the end, not long after. */
  get value(): number | undefined {
    return this.#value === undefined ? undefined : this.#value * 0.9;
  }
}

/**
 * The pause before checking again after the `failures`-th failed check in a row: core's backoff,
 * from `minDelay`, doubling, at most `maxDelay`, with full jitter.
 */
export const pauseAfter = (failures: number, { minDelay = 1_000, maxDelay = 30_000 }: DelayPolicy, clock: Clock): number =>
  backoff(failures, { first: minDelay, max: maxDelay }, () => clock.random());
