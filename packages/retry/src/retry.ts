import type { Middleware, Plugin } from "@vclm/core";
import { classifyFailure, isServiceError, isVclmError, mayRetry, systemClock, VclmNetworkError, VclmTimeoutError } from "@vclm/core";
import { backoff } from "@vclm/core/internal";
import { AdaptiveRateLimiter } from "./adaptive.js";
import { RetryBudget } from "./budget.js";
import type { RetryOptions, RetryReason } from "./options.js";
import { clockOffsetFrom } from "./skew.js";

/**
 * Why a failure may be retried (core's one failure table, `classifyFailure`, applied to this
 * call), or undefined when it must not be. A clock that is out is corrected, once, at once.
 */
function retryReason(error: unknown, idempotent: boolean, options: RetryOptions): RetryReason | undefined {
  if (isServiceError(error, "AuthFailure.SignatureExpire")) return "clock-skew"; // refused at the door: nothing created
  const failure = classifyFailure(error);
  const allowed = mayRetry(failure, {
    idempotent,
    jobSlot: options.waitForJobSlot ?? false,
    ambiguous: options.retryAmbiguousSubmits ?? false,
  });
  if (!allowed) return undefined;
  return failure === "throttled" || failure === "job-slot" ? failure : "transient";
}

/**
 * Retries for a `@vclm/core` client: a middleware in the `retry` phase, around signing and sending,
 * so every attempt is signed afresh. Transient faults are retried with jittered exponential backoff
 * (longer after throttling), within a maximum of attempts, a deadline and a retry budget shared by
 * the client's calls. Clock skew is corrected from the server's Date header. SubmitImageAnimateJob
 * is retried only on answers that prove no job was created, so it never pays for a job twice.
 *
 * @example
 * ```ts
 * import { VclmClient } from "@vclm/core";
 * import { retry } from "@vclm/retry";
 *
 * const client = new VclmClient({ region: "ap-singapore" }).use(retry({ onRetry: (event) => console.warn(event) }));
 * ```
 */
export function retry(options: RetryOptions = {}): Plugin {
  const {
    maxAttempts = 4,
    deadline = 60_000,
    baseDelay = 100,
    throttledBaseDelay = 1_000,
    maxDelay = 20_000,
    budget: budgetOptions = {},
    adaptive = false,
    clock = systemClock,
    onRetry,
  } = options;
  const now = () => clock.now();

  return (client) => {
    // Per client: its calls share one budget and one rate.
    const { capacity = 500, retryCost = 5, timeoutCost = 10 } = budgetOptions || {};
    const budget = budgetOptions === false ? undefined : new RetryBudget(capacity);
    const limiter = adaptive ? new AdaptiveRateLimiter(clock) : undefined;

    const middleware: Middleware = async (context, next) => {
      const { operation, signal } = context;
      const started = now();
      let skewCorrected = false;
      for (let attempt = 1; ; attempt++) {
        await limiter?.acquire(signal);
        try {
          await next();
          budget?.refill();
          limiter?.succeeded();
          return;
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          const reason = retryReason(error, operation.idempotent, options);
          if (reason === "throttled") limiter?.throttled();
          const give = (why?: string) => {
            if (isVclmError(error)) {
              error.attempts = attempt;
              if (why) error.message += ` (gave up after ${attempt} attempt${attempt > 1 ? "s" : ""}: ${why})`;
            }
            return error;
          };
          if (!reason) throw give();
          // The decision to try again: to onRetry, and to the client's observer (`observe`), if any.
          const tell = (delay: number) => {
            const event = { action: operation.action, attempt, delay, reason, error };
            onRetry?.(event);
            context.client.observer?.retried(context, event);
          };
          if (reason === "clock-skew") {
            // Once per call, at once: signed with the server's time, the next attempt is not late.
            const offset = clockOffsetFrom(context.response?.headers, now());
            if (skewCorrected || offset === undefined) throw give("the clock skew could not be corrected");
            context.client.clockOffset = offset;
            skewCorrected = true;
            tell(0);
            continue;
          }
          if (attempt >= maxAttempts) throw give("no attempts left");
          const first = reason === "transient" ? baseDelay : throttledBaseDelay;
          const delay = backoff(attempt, { first, max: maxDelay }, () => clock.random());
          if (now() - started + delay > deadline) throw give("the deadline would pass");
          const cost = isVclmError(error, VclmTimeoutError) || isVclmError(error, VclmNetworkError) ? timeoutCost : retryCost;
          if (budget && !budget.spend(cost)) throw give("the client's retry budget is spent");
          tell(delay);
          await clock.sleep(delay, signal);
        }
      }
    };
    client.middleware.add(middleware, { name: "retry", phase: "retry", tags: ["retry"] });
  };
}
