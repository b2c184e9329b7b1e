import type { ServiceErrorCode } from "./codes.js";
import { isVclmError, VclmError } from "./vclm-error.js";

/**
 * The service answered with an error envelope (`{"Response": {"Error": {...}}}`, HTTP 200).
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (isServiceError(error, "FailedOperation.JobNotFound")) console.error("no such job:", error.requestId);
 * }
 * ```
 */
export class VclmServiceError extends VclmError {
  /** The service's error code, e.g. `FailedOperation.JobNotFound`. */
  readonly code: ServiceErrorCode | (string & {});
  /** The service's own message for it. */
  readonly serviceMessage: string;
  /** The RequestId to quote to Tencent Cloud support. */
  readonly requestId: string | undefined;
  /** The HTTP status of the answer (200 for service errors). */
  readonly status: number;

  constructor(init: { code: string; message: string; requestId?: string | undefined; action: string; status: number }) {
    super(`${init.action} failed: ${init.code}: ${init.message}${init.requestId ? ` (RequestId ${init.requestId})` : ""}`, {
      action: init.action,
    });
    this.code = init.code;
    this.serviceMessage = init.message;
    this.requestId = init.requestId;
    this.status = init.status;
  }
}

/**
 * Is this a {@link VclmServiceError} (from any installed copy of `@vclm/core`), and (when a code is
 * given) one with exactly that code? Narrows the error's `code` to the code asked for.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
 * } catch (error) {
 *   if (isServiceError(error, "RequestLimitExceeded.JobNumExceed")) console.error("the account runs all the jobs it may: submit later");
 *   else if (isServiceError(error)) console.error(error.code, error.requestId);
 *   else throw error;
 * }
 * ```
 */
export function isServiceError<Code extends ServiceErrorCode>(
  error: unknown,
  code?: Code,
): error is VclmServiceError & { readonly code: Code } {
  return isVclmError(error, VclmServiceError) && (code === undefined || error.code === code);
}
