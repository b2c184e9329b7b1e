import { isVclmError, VclmNetworkError, VclmResponseError, VclmServiceError, VclmTimeoutError } from "@vclm/core";

// Codes that mean "not now": the same Describe later may well succeed.
const TRANSIENT_CODES =
  /^(InternalError|ServiceUnavailable|FailedOperation\.(InnerError|JobQueueFull)|ResourceUnavailable\.IsOpening|RequestLimitExceeded(\.\w+)?)$/;

/**
 * Whether a failed Describe is worth repeating later: network failures, timeouts, gateway errors
 * (5xx, 429) and the service's "retry later" codes. Describe is idempotent, so any of these may
 * simply be asked again; waiting rides them out until its own deadline.
 */
export function isTransient(error: unknown): boolean {
  if (isVclmError(error, VclmServiceError)) return TRANSIENT_CODES.test(error.code);
  if (isVclmError(error, VclmResponseError)) return error.status >= 500 || error.status === 429;
  return isVclmError(error, VclmNetworkError) || isVclmError(error, VclmTimeoutError);
}

/** The wait after the `failures`-th transient failure in a row: doubling from `minDelay`, at most `maxDelay`, jittered down. */
export function backoff(
  failures: number,
  { minDelay = 1_000, maxDelay = 30_000 }: { minDelay?: number; maxDelay?: number },
  random: () => number,
): number {
  const base = Math.min(maxDelay, minDelay * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + 0.5 * random()));
}
