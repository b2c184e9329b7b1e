import { VclmError } from "./vclm-error.js";

/**
 * An attempt took longer than its timeout. The request may or may not have reached the service.
 *
 * @example
 * ```ts
 * await client.describeImageAnimateJob({ JobId }, { timeout: 5_000 }).catch((error) => {
 *   if (error instanceof VclmTimeoutError) console.error(`no answer within ${error.timeout} ms`);
 * });
 * ```
 */
export class VclmTimeoutError extends VclmError {
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;

  constructor(action: string, timeout: number) {
    super(`${action}: no answer within ${timeout} ms`, { action });
    this.timeout = timeout;
  }
}
