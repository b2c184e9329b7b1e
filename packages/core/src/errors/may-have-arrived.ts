import { networkCauseOf } from "#network-cause";
import { VclmNetworkError } from "./network-error.js";
import { NEVER_SENT } from "./network-problem.js";
import { VclmResponseError } from "./response-error.js";
import { VclmTimeoutError } from "./timeout-error.js";
import { isVclmError } from "./vclm-error.js";

/** Did the request provably not reach the service? (Only Node and Bun say, through their error codes; browsers never tell.) */
const neverSent = (error: VclmNetworkError) => NEVER_SENT.has(networkCauseOf(error.cause).problem);

/**
 * Whether a failed call may still have been processed by the service: the connection broke after
 * the request left (or nobody can tell), the answer did not come in time, or a gateway answered 5xx.
 * For SubmitImageAnimateJob that means a job may exist, and be paid for, though the call failed.
 * A service error, a refused connection, or a timeout while waiting for credentials: no.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
 * } catch (error) {
 *   if (mayHaveArrived(error)) console.error("the job may exist: check before submitting again");
 *   else throw error;
 * }
 * ```
 */
export function mayHaveArrived(error: unknown): boolean {
  if (isVclmError(error, VclmNetworkError)) return !neverSent(error);
  if (isVclmError(error, VclmTimeoutError)) return error.requestSent;
  return isVclmError(error, VclmResponseError) && error.status >= 500;
}
