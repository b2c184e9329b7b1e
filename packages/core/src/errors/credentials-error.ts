import { VclmError } from "./vclm-error.js";

/**
 * One credentials source that was tried, and why it gave nothing.
 *
 * @example
 * ```ts
 * const tried: CredentialsSourceTried = { source: "environment", reason: "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set" };
 * ```
 */
export interface CredentialsSourceTried {
  /** The source: `environment`, `profile file`, `CVM instance role`, `TKE web identity`. */
  readonly source: string;
  /** Why it gave nothing, in words; never a secret. */
  readonly reason: string;
}

/**
 * No credentials were found: every source of `defaultCredentials()` was tried, in order, and each
 * gave nothing. `tried` says why, source by source; the message lists them too.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" }); // no credentials given: it looks for them
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (error instanceof VclmCredentialsError) for (const { source, reason } of error.tried) console.error(`${source}: ${reason}`);
 * }
 * ```
 */
export class VclmCredentialsError extends VclmError {
  /** Each source tried, in order. */
  readonly tried: readonly CredentialsSourceTried[];

  constructor(tried: readonly CredentialsSourceTried[]) {
    const list = tried.map(({ source, reason }, i) => `\n  ${i + 1}. ${source}: ${reason}`).join("");
    super(`no credentials found. Pass credentials to the client, or set up one of these sources (tried in this order):${list}`);
    this.tried = tried;
  }
}
