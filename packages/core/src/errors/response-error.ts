import { VclmError } from "./vclm-error.js";

/**
 * An answer that is not what the API promises: a non-200 status (a gateway or transport failure, not
 * a service error), a body that is not JSON or has no `Response`, or an output that breaks the
 * action's schema.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (error instanceof VclmResponseError && error.status >= 500) console.error("gateway trouble", error.requestId);
 *   else throw error;
 * }
 * ```
 */
export class VclmResponseError extends VclmError {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The RequestId, when the answer carried one. */
  readonly requestId: string | undefined;
  /** The start of the body as received (at most 200 characters), for the log. */
  readonly bodyExcerpt: string;

  constructor(problem: string, init: { action: string; status: number; requestId?: string | undefined; body: string }) {
    super(`${init.action}: ${problem} (HTTP ${init.status}${init.requestId ? `, RequestId ${init.requestId}` : ""})`, {
      action: init.action,
    });
    this.status = init.status;
    this.requestId = init.requestId;
    this.bodyExcerpt = init.body.slice(0, 200);
  }
}
