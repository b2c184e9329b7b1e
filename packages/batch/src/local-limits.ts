import type { AccountLimits } from "@vclm/core";
import { JobLimit, RateWindow } from "@vclm/core/internal";

/**
 * The account's limits as one process keeps them: a request rate per action, and job slots up to a
 * limit learnt from JobNumExceed (see core's `JobLimit`). What `animateMany` uses when it is not
 * given shared ones.
 */
export function localAccountLimits({
  requestsPerSecond,
  concurrentJobs,
  now,
}: {
  requestsPerSecond: number;
  concurrentJobs: number | undefined;
  now: () => number;
}): AccountLimits & { readonly limit: JobLimit } {
  const rates = new Map<string, RateWindow>();
  const limit = new JobLimit({ max: concurrentJobs, now: now() });
  const holders = new Set<string>();
  return {
    limit,
    pace: async (action) => {
      const rate = rates.get(action) ?? new RateWindow(requestsPerSecond);
      rates.set(action, rate);
      return rate.take(now());
    },
    acquire: async (holder) => {
      if (holders.size >= limit.value && !holders.has(holder)) return false;
      holders.add(holder);
      return true;
    },
    hold: async (holder) => void holders.add(holder),
    renew: async () => {},
    release: async (holder) => {
      if (holders.delete(holder)) limit.ended(now());
    },
    refused: async (holder) => {
      limit.refused(holders.size - (holders.has(holder) ? 1 : 0), now());
      return limit.value;
    },
  };
}
