import { isVclmError, mayHaveArrived, VclmNetworkError, VclmResponseError, VclmServiceError, VclmTimeoutError } from "@vclm/core";

/**
 * What a failed SubmitImageAnimateJob means for its photo (see {@link classifySubmitFailure}):
 *
 * - `maybe`: it may have reached the service, so the job may exist: never sent again on its own;
 * - `job-slot`: the account runs as many jobs as it may (JobNumExceed): again once one ends;
 * - `later`: refused without being processed (throttled, the queue full, provably never sent): again after a pause;
 * - `fatal`: every Submit would fail alike (credentials, permissions): the batch stops submitting;
 * - `refused`: this photo or call was refused (bad photo, bad input): no job, and none will come of sending it again.
 *
 * @example
 * ```ts
 * const retryable = (failure: SubmitFailure) => failure === "job-slot" || failure === "later";
 * ```
 */
export type SubmitFailure = "maybe" | "job-slot" | "later" | "fatal" | "refused";

/** Refused at the door, before any work: nothing was made. */
const LATER = /^(RequestLimitExceeded(\.\w+)?|FailedOperation\.JobQueueFull|ResourceUnavailable\.IsOpening)$/;
/** The service failed while working on it: whether it made the job first is not said (@vclm/retry never resends these either). */
const FAILED_INSIDE = /^(InternalError|ServiceUnavailable|FailedOperation\.InnerError)$/;
const FATAL = /^(AuthFailure|UnauthorizedOperation|ResourceUnavailable\.(NotExist|StopUsing)|FailedOperation\.(Unopen|UserUnopenService))/;

/**
 * What a failed SubmitImageAnimateJob means: whether a job may exist (`maybe`: never send it again
 * on your own), the account is full (`job-slot`), it was refused without being processed
 * (`later`), every Submit would fail alike (`fatal`), or this photo was refused (`refused`). The
 * one rule {@link animateMany} follows; a Worker's own admission can follow it too.
 *
 * @example
 * ```ts
 * const failure = classifySubmitFailure(error);
 * if (failure === "maybe") console.error("the job may exist and be paid for: do not send it again");
 * ```
 */
export function classifySubmitFailure(error: unknown): SubmitFailure {
  if (mayHaveArrived(error)) return "maybe";
  if (isVclmError(error, VclmServiceError)) {
    if (error.code === "RequestLimitExceeded.JobNumExceed") return "job-slot";
    if (LATER.test(error.code)) return "later";
    if (FAILED_INSIDE.test(error.code)) return "maybe";
    return FATAL.test(error.code) ? "fatal" : "refused";
  }
  if (isVclmError(error, VclmResponseError)) {
    // A 200 that could not be read (not JSON, not the schema): the service may have made the job.
    if (error.status >= 200 && error.status < 300) return "maybe";
    // A 429 or a 4xx from a gateway was answered without the service processing it.
    return error.status === 429 ? "later" : "refused";
  }
  if (isVclmError(error, VclmNetworkError) || isVclmError(error, VclmTimeoutError)) return "later"; // provably never sent
  // The photo or the input was refused before sending (VclmPhotoError, VclmValidationError).
  if (isVclmError(error)) return "refused";
  return "maybe"; // something unforeseen: whether it left is unknown, and paying twice is the worse mistake
}
