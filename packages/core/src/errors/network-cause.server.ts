// How a network failure is told on Node, Deno and Bun, whose errors carry codes (ECONNREFUSED,
// ENOTFOUND, CERT_HAS_EXPIRED...). Chosen by the package's "#network-cause" import condition;
// Workers and browsers, whose errors carry none, get network-cause.edge.ts.
import type { NetworkProblem } from "./network-problem.js";

// What happened, known first: was anything sent? Then, in brackets, the runtime's code and words.
const SAID: Record<NetworkProblem, string> = {
  refused: "the connection to URL was refused: nothing listens there",
  dns: "the host name of URL is unknown to DNS",
  unreachable: "there is no route to URL",
  blocked: "fetch refuses to connect to URL: its port is one that browsers and Node block",
  tls: "the TLS connection to URL failed: a certificate not accepted, or no TLS there",
  timeout: "the connection to URL timed out",
  reset: "the connection to URL broke before an answer came",
  unknown: "the request to URL failed before an answer came",
};

/** The sentence for `problem`, with `url` in it. */
export const sayProblem = (problem: NetworkProblem, url: string): string => SAID[problem].replace("URL", url);

const PROBLEMS: Record<string, NetworkProblem> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ENETUNREACH: "unreachable",
  EHOSTUNREACH: "unreachable",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  ECONNRESET: "reset",
  ECONNABORTED: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
};

// Node's names for certificate and handshake failures: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT,
// ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_WRONG_VERSION_NUMBER...
const problemOf = (code = ""): NetworkProblem => PROBLEMS[code] ?? (/CERT|_TLS_|_SSL_/.test(code) ? "tls" : "unknown");

/**
 * Reads a runtime's network error down its `cause` chain (undici puts the socket's error, with its
 * `code`, under fetch's "fetch failed"): the problem, the code that names it (else the first
 * code), and the messages, outermost first. Reads only `code` and `message`: it runs anywhere.
 */
export function networkCauseOf(error: unknown): { problem: NetworkProblem; code: string | undefined; messages: string[] } {
  let code: string | undefined;
  const messages: string[] = [];
  for (let cause = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 4; depth++) {
    if (typeof cause.message === "string") messages.push(cause.message);
    if (typeof cause.code === "string" && problemOf(code) === "unknown") code = cause.code;
    cause = cause.cause as typeof cause;
  }
  // undici refuses some ports before any connection: an Error("bad port"), with no code.
  const problem = code === undefined && messages.includes("bad port") ? "blocked" : problemOf(code);
  return { problem, code, messages: messages.length ? messages : [String(error)] };
}
