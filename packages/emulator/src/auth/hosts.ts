// Which host names the admin API and the metadata routes answer to. A page on any site can make a
// browser send requests to this machine: by DNS rebinding, its own name comes to resolve to
// 127.0.0.1, and the browser, believing it same-origin, reads the answers. Such a request still
// names the page's host, never a loopback one: the Host is what tells them apart.
import { ipRange } from "./ip.js";

const loopbackV4 = ipRange("127.0.0.0/8") as (address: string) => boolean;
const loopbackV6 = ipRange("::1") as (address: string) => boolean;

/**
 * Whether a URL's hostname (as `URL` gives it: lower-case, IPv4 normalized, IPv6 in brackets) is
 * this machine's loopback: localhost and its subdomains (RFC 6761: they resolve nowhere else, so no
 * foreign DNS can answer for them), 127.0.0.0/8 (IPv4-mapped too) and [::1]. 0.0.0.0 is not one.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  const address = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return loopbackV4(address) || loopbackV6(address);
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Checks the `allowedHosts` option: host names as a URL shows them (no port, path or scheme),
 * lower-cased. Throws a TypeError naming the first entry that is not one.
 */
export function allowedHostsOf(hosts: readonly string[] | undefined): ReadonlySet<string> {
  if (hosts === undefined) return new Set();
  if (!Array.isArray(hosts)) throw new TypeError("allowedHosts must be a list of host names");
  for (const [i, host] of hosts.entries()) {
    if (typeof host !== "string" || !/^[^/?#@\s]+$/.test(host) || hostnameOf(host) !== host.toLowerCase())
      throw new TypeError(
        `allowedHosts[${i}] (${JSON.stringify(host)}) is not a host name: give it as a URL shows it, without a port or path`,
      );
  }
  return new Set(hosts.map((host) => host.toLowerCase()));
}

/** The 403 for a request to a host that is neither loopback nor allowed. */
export const misdirected = (hostname: string): Response =>
  new Response(
    `Refused: this route answers only requests to a loopback host (localhost, 127.x.x.x, [::1]) or one in allowedHosts, not to ${hostname}.\n`,
    { status: 403, headers: { "Content-Type": "text/plain" } },
  );
