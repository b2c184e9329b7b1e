import { mayHaveArrived } from "../errors/may-have-arrived.js";
import { VclmNetworkError } from "../errors/network-error.js";
import { VclmResponseError } from "../errors/response-error.js";
import { VclmServiceError } from "../errors/service-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { isVclmError } from "../errors/vclm-error.js";

/**
 * What a failed call means, for deciding what to do next. The one table every vclm package
 * follows (retries, the poller, the batch, the relay's quota, the Workers coordinator):
 *
 * - `throttled`: refused at the door before any work (`RequestLimitExceeded*`, `JobQueueFull`,
 *   `IsOpening`, HTTP 429): the same call may succeed after a longer pause;
 * - `job-slot`: the account runs as many jobs as it may (`RequestLimitExceeded.JobNumExceed`):
 *   nothing was made; a Submit may succeed once one of its jobs ends;
 * - `transient`: provably never reached the service (a refused connection, a timeout before
 *   sending): the same call may succeed after a short pause, whatever it is;
 * - `may-have-arrived`: the service may have acted on it (the answer was lost, a 5xx, the service
 *   failed while working): an idempotent call may be sent again; a paid one must not be, or a
 *   second job may be paid for;
 * - `fatal`: every call like it would fail alike (credentials, permissions, the service not
 *   opened): stop, and tell a person;
 * - `refused`: this call was refused (a bad photo, bad input): nothing was made, and sending the
 *   same again fails alike;
 * - `unexpected`: an answer that could not be read, or an error vclm did not make: whether
 *   anything happened is unknown. Not worth repeating; for a paid call, treated as
 *   `may-have-arrived`.
 *
 * @example
 * ```ts
 * const pauseFirst = (failure: Failure) => failure === "throttled" || failure === "transient";
 * ```
 */
export type Failure = "throttled" | "job-slot" | "transient" | "may-have-arrived" | "fatal" | "refused" | "unexpected";

/** Refused at the door, before any work. */
const THROTTLED = /^(RequestLimitExceeded(\.\w+)?|FailedOperation\.JobQueueFull|ResourceUnavailable\.IsOpening)$/;
/** The service failed while working on it: whether it made a job first is not said. */
const FAILED_INSIDE = /^(InternalError|ServiceUnavailable|FailedOperation\.InnerError)$/;
/** Every call alike would fail: the account, its credentials or its permissions. */
const FATAL = /^(AuthFailure|UnauthorizedOperation|ResourceUnavailable\.(NotExist|StopUsing)|FailedOperation\.(Unopen|UserUnopenService))/;

/**
 * What the service's error code says (see {@link Failure}): for code that sees the service's
 * answer itself, not an error (a relay reading the envelope it forwards).
 *
 * @example
 * ```ts
 * failureOfCode("RequestLimitExceeded.JobNumExceed"); // "job-slot"
 * failureOfCode("InternalError"); // "may-have-arrived"
 * ```
 */
export function failureOfCode(code: string): Failure {
  if (code === "RequestLimitExceeded.JobNumExceed") return "job-slot";
  if (THROTTLED.test(code)) return "throttled";
  if (FAILED_INSIDE.test(code)) return "may-have-arrived";
  return FATAL.test(code) ? "fatal" : "refused";
}

/**
 * What a failed call means (see {@link Failure}). Errors are recognised by their brand
 * ({@link isVclmError}), so those of another installed copy of `@vclm/core` too.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
 * } catch (error) {
 *   if (classifyFailure(error) === "may-have-arrived") console.error("the job may exist: do not submit it again");
 *   throw error;
 * }
 * ```
 */
export function classifyFailure(error: unknown): Failure {
  if (isVclmError(error, VclmServiceError)) return failureOfCode(error.code);
  if (mayHaveArrived(error)) return "may-have-arrived"; // sent, and no answer came back (or a gateway's 5xx)
  if (isVclmError(error, VclmNetworkError) || isVclmError(error, VclmTimeoutError)) return "transient"; // provably never sent
  if (isVclmError(error, VclmResponseError)) {
    if (error.status === 429) return "throttled";
    // A 200 that could not be read (not JSON, not the schema): the service may have acted.
    return error.status >= 200 && error.status < 300 ? "unexpected" : "refused";
  }
  // The photo or the input was refused before sending (VclmPhotoError, VclmValidationError).
  if (isVclmError(error)) return "refused";
  return "unexpected";
}

/**
 * Whether a call that failed this way may be sent again: calls that change nothing (`idempotent`)
 * after any failure that may pass; a paid call only when it provably made nothing, unless the
 * caller accepts the risk of a second job (`ambiguous`) or waits for a job slot (`jobSlot`).
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (mayRetry(classifyFailure(error), { idempotent: DescribeImageAnimateJob.idempotent })) console.log("worth asking again");
 *   else throw error;
 * }
 * ```
 */
export function mayRetry(
  failure: Failure,
  { idempotent, jobSlot = false, ambiguous = false }: { idempotent: boolean; jobSlot?: boolean; ambiguous?: boolean },
): boolean {
  if (failure === "throttled" || failure === "transient") return true;
  if (failure === "job-slot") return !idempotent && jobSlot;
  if (failure === "may-have-arrived") return idempotent || ambiguous;
  return false;
}
