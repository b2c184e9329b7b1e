import { isVclmError, mayHaveArrived, VclmNetworkError, VclmResponseError, VclmServiceError, VclmTimeoutError } from "@vclm/core";
import type { RetryOptions, RetryReason } from "./options.js";

const THROTTLED =
  /^(RequestLimitExceeded(\.(IPLimitExceeded|UinLimitExceeded))?|FailedOperation\.JobQueueFull|ResourceUnavailable\.IsOpening)$/;
const TRANSIENT_CODES = new Set(["InternalError", "FailedOperation.InnerError", "ServiceUnavailable"]);
/**
 * Whether a failure may be retried, and why (errors recognised by their brand, so those of another
 * installed copy of `@vclm/core` too); undefined when it must not be. An operation that is
 * not idempotent (SubmitImageAnimateJob: a second send can be a second paid job) is retried only on
 * answers that prove nothing was created, unless the caller opts in.
 */
export function classify(error: unknown, idempotent: boolean, options: RetryOptions): RetryReason | undefined {
  if (isVclmError(error, VclmServiceError)) {
    if (error.code === "AuthFailure.SignatureExpire") return "clock-skew"; // refused at the door: nothing created
    if (THROTTLED.test(error.code)) return "throttled"; // refused before any work
    if (error.code === "RequestLimitExceeded.JobNumExceed") return !idempotent && options.waitForJobSlot ? "job-slot" : undefined;
    return idempotent && TRANSIENT_CODES.has(error.code) ? "transient" : undefined;
  }
  // A connection refused before sending can be retried whatever the action (mayHaveArrived says no).
  if (isVclmError(error, VclmNetworkError))
    return idempotent || !mayHaveArrived(error) || options.retryAmbiguousSubmits ? "transient" : undefined;
  if (isVclmError(error, VclmTimeoutError))
    return idempotent || !error.requestSent || options.retryAmbiguousSubmits ? "transient" : undefined;
  // A 5xx from a gateway may or may not have passed the request on.
  if (isVclmError(error, VclmResponseError) && error.status >= 500)
    return idempotent || options.retryAmbiguousSubmits ? "transient" : undefined;
  return undefined;
}
