import type { Clock } from "@vclm/core";

/**
 * One retry about to happen: what failed, and how long the wait before the next attempt is.
 *
 * @example
 * ```ts
 * const log = (event: RetryEvent) => console.warn(`${event.action}: attempt ${event.attempt} failed (${event.reason}), next in ${event.delay} ms`);
 * ```
 */
export interface RetryEvent {
  readonly action: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** Milliseconds until the next attempt. */
  readonly delay: number;
  /** Why it is retried. */
  readonly reason: RetryReason;
  readonly error: unknown;
}

/**
 * Why a failure may be retried: throttling (a longer wait), a transient fault, clock skew, or a job
 * slot to wait for.
 *
 * @example
 * ```ts
 * const reason: RetryReason = "throttled";
 * ```
 */
export type RetryReason = "throttled" | "transient" | "clock-skew" | "job-slot";

/**
 * How `retry()` behaves. Every field has a default.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * client.use(retry({ maxAttempts: 6, deadline: 120_000, waitForJobSlot: true, onRetry: (e) => console.warn(e) }));
 * ```
 */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** No attempt starts after this many milliseconds from the call's start; no wait runs past it. @default 60_000 */
  readonly deadline?: number;
  /** The ceiling of the first wait after a transient fault; doubles each time; each wait is a random point below it (full jitter). @default 100 */
  readonly baseDelay?: number;
  /** The ceiling of the first wait after throttling (RequestLimitExceeded*, JobQueueFull, IsOpening, HTTP 429) or for a job slot. @default 1_000 */
  readonly throttledBaseDelay?: number;
  /** No single wait is longer. @default 20_000 */
  readonly maxDelay?: number;
  /**
   * The retry budget shared by all calls of the client (a token bucket): a retry costs `retryCost`
   * tokens (`timeoutCost` after a timeout or dropped connection), a success gives one back. When it
   * is empty, failures are not retried: a failing service is not hammered by every caller at once.
   * `false` turns it off.
   * @default { capacity: 500, retryCost: 5, timeoutCost: 10 }
   */
  readonly budget?: { readonly capacity?: number; readonly retryCost?: number; readonly timeoutCost?: number } | false;
  /** A client-side rate limiter that halves the request rate when the service throttles and raises it again while it does not. @default false */
  readonly adaptive?: boolean;
  /** Retry SubmitImageAnimateJob on RequestLimitExceeded.JobNumExceed: wait for one of the account's jobs to finish. @default false */
  readonly waitForJobSlot?: boolean;
  /**
   * Retry SubmitImageAnimateJob after a timeout or a dropped connection, when the request may have
   * reached the service. Each such retry can create a second paid job. @default false
   */
  readonly retryAmbiguousSubmits?: boolean;
  /** Called before each wait: for logs and metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Time, waits and jitter's random numbers: a virtual one runs retries without real waiting. @default systemClock */
  readonly clock?: Clock;
}
