/**
 * What went wrong on the network, as far as the runtime tells:
 *
 * - `refused`: nothing listens at that address (ECONNREFUSED). Nothing was sent.
 * - `dns`: the host name could not be looked up (ENOTFOUND, EAI_AGAIN). Nothing was sent.
 * - `unreachable`: no route to the host (ENETUNREACH, EHOSTUNREACH). Nothing was sent.
 * - `tls`: the secure connection failed: a certificate not accepted, or a server that does not speak TLS.
 * - `timeout`: the connection timed out (ETIMEDOUT, UND_ERR_CONNECT_TIMEOUT).
 * - `reset`: the connection broke before an answer came (ECONNRESET, UND_ERR_SOCKET, EPIPE).
 * - `unknown`: the runtime does not say (browsers never do).
 *
 * @example
 * ```ts
 * if (error instanceof VclmNetworkError && error.problem === "refused") console.error("is the server running?");
 * ```
 */
export type NetworkProblem = "refused" | "dns" | "unreachable" | "tls" | "timeout" | "reset" | "unknown";

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
  return { problem: problemOf(code), code, messages: messages.length ? messages : [String(error)] };
}

/** Problems after which the request provably never left: safe to send again, whatever the action. */
export const NEVER_SENT: ReadonlySet<NetworkProblem> = new Set(["refused", "dns", "unreachable"]);
