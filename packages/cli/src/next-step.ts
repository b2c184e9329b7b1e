import { isVclmError, VclmNetworkError } from "@vclm/core";
import type { Args } from "./args.js";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The VclmNetworkError an error is, or was caused by (a wait stopped by one). */
function networkErrorIn(error: unknown): VclmNetworkError | undefined {
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as Error).cause, depth++)
    if (isVclmError(cause, VclmNetworkError)) return cause;
  return undefined;
}

/**
 * What to do after a network failure, from what core read in the runtime's error: start the
 * emulator, check --endpoint, the network, the clock. Empty when there is nothing better than the
 * message itself.
 */
export function nextStep(error: unknown, args: Args | undefined): string {
  const network = networkErrorIn(error);
  if (!network || !URL.canParse(network.url)) return "";
  const url = new URL(network.url);
  // Advice about --endpoint only for a call that went there (not, say, to STS for credentials).
  const endpoint =
    args?.endpoint && URL.canParse(args.endpoint) && new URL(args.endpoint).origin === url.origin ? args.endpoint : undefined;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  switch (network.problem) {
    case "refused":
      if (endpoint && LOOPBACK.test(url.hostname))
        // The embedded emulator knows only the jobs of its own command: no use for describe or wait.
        return `Is the emulator running? Start it with: vclm emulator --port ${port}${
          args?.command === "animate" || args?.command === "submit" ? " (or use --emulator instead of --endpoint)" : ""
        }.`;
      return endpoint
        ? `Is the server at --endpoint ${endpoint} running, and listening on port ${port}?`
        : "Check this machine's network connection and firewall.";
    case "dns":
      return endpoint ? `Check the host name in --endpoint ${endpoint}.` : "Check this machine's network connection and DNS.";
    case "unreachable":
      return "Check this machine's network connection (a VPN, a firewall).";
    case "blocked":
      return `Port ${port} is one that fetch will not connect to: use another (for the emulator: vclm emulator --port 8080).`;
    case "tls":
      if (network.causeCode === "ERR_SSL_WRONG_VERSION_NUMBER")
        return `The server does not speak HTTPS on that port: for the emulator, use http://${url.host}/.`;
      return "Check the system clock (a wrong one makes a good certificate look expired); behind a proxy that inspects HTTPS, give its CA certificate in NODE_EXTRA_CA_CERTS.";
    case "timeout":
      return "The network or the server is slow, or a firewall drops the connection: try again later.";
    default:
      return "";
  }
}
