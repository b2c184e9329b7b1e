import type { RetryReason } from "./options.js";

/**
 * The wait before attempt `attempt + 1`: exponential from the reason's base, capped, with full
 * jitter (a random point between 0 and the cap of this step), so clients that failed together do
 * not come back together.
 */
export function backoff(
  attempt: number,
  reason: RetryReason,
  base: { transient: number; throttled: number; max: number },
  random: () => number,
): number {
  if (reason === "clock-skew") return 0;
  const first = reason === "transient" ? base.transient : base.throttled;
  const ceiling = Math.min(base.max, first * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
