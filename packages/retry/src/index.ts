/**
 * Retries for `@vclm/core` that recover from transient faults and never create a job twice.
 *
 * @example
 * ```ts
 * import { VclmClient } from "@vclm/core";
 * import { retry } from "@vclm/retry";
 *
 * const client = new VclmClient({ region: "ap-singapore" }).use(retry());
 * ```
 *
 * @packageDocumentation
 */
export { AdaptiveRateLimiter } from "./adaptive.js";
export { RetryBudget } from "./budget.js";
export type { RetryEvent, RetryOptions, RetryReason } from "./options.js";
export { retry } from "./retry.js";
