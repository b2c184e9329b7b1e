/**
 * What went wrong on the network, as far as the runtime tells:
 *
 * - `refused`: nothing listens at that address (ECONNREFUSED). Nothing was sent.
 * - `dns`: the host name could not be looked up (ENOTFOUND, EAI_AGAIN). Nothing was sent.
 * - `unreachable`: no route to the host (ENETUNREACH, EHOSTUNREACH). Nothing was sent.
 * - `blocked`: fetch itself refuses the address: a port browsers and Node block (`bad port`, e.g. 1, 9, 6000). Nothing was sent.
 * - `tls`: the secure connection failed: a certificate not accepted, or a server that does not speak TLS.
 *   The request goes only after the handshake: nothing was sent.
 * - `timeout`: the connection timed out (ETIMEDOUT, UND_ERR_CONNECT_TIMEOUT).
 * - `reset`: the connection broke before an answer came (ECONNRESET, UND_ERR_SOCKET, EPIPE).
 * - `unknown`: the runtime does not say (browsers never do).
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore", endpoint: "http://127.0.0.1:8080/" });
 * await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" }).catch((error) => {
 *   if (error instanceof VclmNetworkError && error.problem === "refused") console.error("is the emulator running?");
 *   throw error;
 * });
 * ```
 */
export type NetworkProblem = "refused" | "dns" | "unreachable" | "blocked" | "tls" | "timeout" | "reset" | "unknown";

/** Problems after which the request provably never left: safe to send again, whatever the action. */
export const NEVER_SENT: ReadonlySet<NetworkProblem> = new Set(["refused", "dns", "unreachable", "blocked", "tls"]);
