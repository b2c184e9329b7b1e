// How a network failure is told in Workers and browsers: their fetch errors carry no code that
// says what happened (a browser never tells), so the problem is "unknown" and the message is the
// runtime's own words. Chosen by the package's "#network-cause" import condition, so the table of
// Node's codes (network-cause.server.ts) stays out of their bundles.
import type { NetworkProblem } from "./network-problem.js";

/** The sentence for `problem`, with `url` in it: here always the one for "unknown". */
export const sayProblem = (_problem: NetworkProblem, url: string): string => `the request to ${url} failed before an answer came`;

/** The messages down the `cause` chain, outermost first; the problem is not told here. */
export function networkCauseOf(error: unknown): { problem: NetworkProblem; code: string | undefined; messages: string[] } {
  const messages: string[] = [];
  for (let cause = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 4; depth++) {
    if (typeof cause.message === "string") messages.push(cause.message);
    cause = cause.cause as typeof cause;
  }
  return { problem: "unknown", code: undefined, messages: messages.length ? messages : [String(error)] };
}
