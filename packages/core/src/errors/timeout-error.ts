import { VclmError } from "./vclm-error.js";

/**
 * An attempt took longer than its timeout. When `requestSent` is true the request may or may not
 * have reached the service (a Submit may have created a job); when false, the call was still
 * waiting for something before sending (its credentials) and nothing left this process.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" }, { timeout: 5_000 }).catch((error: unknown) => {
 *   if (error instanceof VclmTimeoutError) console.error(`no answer within ${error.timeout} ms`);
 * });
 * ```
 */
export class VclmTimeoutError extends VclmError {
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;
  /** Whether the request had been sent when time ran out. */
  readonly requestSent: boolean;

  /** @param requestSent false when it was the credentials that did not come in time: then nothing was sent. */
  constructor(action: string, timeout: number, requestSent = true) {
    super(`${action}: no ${requestSent ? "answer" : "credentials"} within ${timeout} ms${requestSent ? "" : "; nothing was sent"}`, {
      action,
    });
    this.timeout = timeout;
    this.requestSent = requestSent;
  }
}
