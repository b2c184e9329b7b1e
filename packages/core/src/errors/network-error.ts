import { VclmError } from "./vclm-error.js";

/**
 * The request could not be completed: connection refused or reset, DNS failure, TLS failure. The
 * runtime's own error is the `cause`. The request may or may not have reached the service.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (error instanceof VclmNetworkError) console.error("network:", error.cause);
 *   else throw error;
 * }
 * ```
 */
export class VclmNetworkError extends VclmError {
  /** The endpoint that could not be reached. */
  readonly url: string;

  constructor(url: string, action: string, cause: unknown) {
    super(`${action}: could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { action, cause });
    this.url = url;
  }
}
