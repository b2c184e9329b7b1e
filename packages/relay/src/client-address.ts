/**
 * What a server knows of a request beyond the request itself: pass the connection's address.
 *
 * @example
 * ```ts
 * // Node: the socket's address. Deno.serve: info.remoteAddr.hostname. Bun: server.requestIP(request)?.address.
 * const info: RelayRequestInfo = { remoteAddress: "203.0.113.7" };
 * ```
 */
export interface RelayRequestInfo {
  /** The address the connection came from. */
  readonly remoteAddress?: string | undefined;
}

/**
 * Which proxy headers to believe about a client's address. None by default: any client can write
 * `X-Forwarded-For` itself, so believing it would let one client be anybody.
 * - `"cloudflare"`: `CF-Connecting-IP`, which Cloudflare sets (use it on Workers);
 * - `{ proxies: [...] }`: the last `X-Forwarded-For` entry added by a proxy not in this list, when
 *   the connection itself comes from one of these addresses.
 *
 * @example
 * ```ts
 * const trust: TrustProxy = { proxies: ["10.0.0.5"] };
 * ```
 */
export type TrustProxy = "cloudflare" | { readonly proxies: readonly string[] };

/** The client's address as far as it can be trusted, or undefined when unknown. */
export function clientAddress(request: Request, info: RelayRequestInfo, trust: TrustProxy | undefined): string | undefined {
  if (trust === "cloudflare") return request.headers.get("cf-connecting-ip") ?? undefined;
  const direct = info.remoteAddress;
  if (!trust || !direct || !trust.proxies.includes(direct)) return direct;
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  // From the right: the first address no trusted proxy wrote is the one the client connected from.
  for (let i = hops.length - 1; i >= 0; i--) if (!trust.proxies.includes(hops[i] as string)) return hops[i];
  return direct;
}
