import { networkCauseOf, sayProblem } from "#network-cause";
import { NEVER_SENT, type NetworkProblem } from "./network-problem.js";
import { VclmError } from "./vclm-error.js";

/**
 * The request could not be completed: connection refused or reset, DNS failure, TLS failure. The
 * runtime's own error is the `cause`; `problem` says which, where the runtime tells (Node, Bun,
 * Deno give codes; browsers do not), and the message leads with it: whether the request was
 * sent, and why no answer came.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (error instanceof VclmNetworkError) console.error(error.problem, error.causeCode, error.cause);
 *   else throw error;
 * }
 * ```
 */
export class VclmNetworkError extends VclmError {
  /** The endpoint that could not be reached. */
  readonly url: string;
  /** What went wrong, read from the runtime's error: `unknown` where it does not say (browsers). */
  readonly problem: NetworkProblem;
  /** The runtime's code for it, e.g. `ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`; undefined where it gives none. */
  readonly causeCode: string | undefined;

  constructor(url: string, action: string, cause: unknown) {
    const { problem, code, messages } = networkCauseOf(cause);
    // The code, and the innermost words when they add to it ("other side closed"; not OpenSSL's long dump).
    const last = messages.at(-1) as string;
    const words = code ? (last.includes(code) || last.length > 79 ? code : `${code}: ${last}`) : messages.join(": ");
    const sent = NEVER_SENT.has(problem) ? ", so the request was not sent" : "";
    super(`${action}: ${sayProblem(problem, url)} (${words})${sent}`, { action, cause });
    this.url = url;
    this.problem = problem;
    this.causeCode = code;
  }
}
