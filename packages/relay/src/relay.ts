import { readCapped, VCLM_API } from "@vclm/core";

/**
 * How a relay behaves.
 *
 * @example
 * ```ts
 * const options: RelayOptions = { target: "http://127.0.0.1:8080/", requestsPerMinute: 60 };
 * ```
 */
export interface RelayOptions {
  /** Where signed requests go. @default "https://vclm.intl.tencentcloudapi.com/" */
  readonly target?: string;
  /** The actions forwarded; anything else is refused. @default VCLM_API.actions from `@vclm/core` */
  readonly actions?: readonly string[];
  /** The largest body forwarded (a 10 MB photo is 13.4 MB as base64 JSON). @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** Requests per minute per client, by `clientKey`. @default 120 */
  readonly requestsPerMinute?: number;
  /**
   * Who a request comes from, for the rate limit.
   * @default the CF-Connecting-IP or X-Forwarded-For address, else the connection's address
   * (`info.remoteAddress`), else "anonymous"
   */
  readonly clientKey?: (request: Request, info: RelayRequestInfo) => string;
  /** Clients whose rate windows are kept; past it, the least recently seen is forgotten. @default 10_000 */
  readonly maxClients?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * What the server knows of a request beyond the request itself: pass the connection's address when
 * there is no proxy in front that sets `CF-Connecting-IP` or `X-Forwarded-For`.
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

// Only these headers cross: the signature and what it covers. Cookies and everything else stay behind.
const FORWARDED =
  /^(authorization|content-type|x-tc-(action|version|region|timestamp|token|language|requestclient|traceid|content-sha256))$/i;

const refuse = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });

const defaultClientKey = (request: Request, info: RelayRequestInfo) =>
  request.headers.get("cf-connecting-ip") ??
  request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ??
  info.remoteAddress ??
  "anonymous";

/**
 * A same-origin relay for browsers: the VCLM API sends no CORS headers, so a page sends its signed
 * requests here, and the relay forwards them unchanged to the service. It holds no secret (the
 * signature comes from the browser's temporary credentials), forwards only the VCLM actions, caps
 * body size (reading no further than the cap) and per-client rate (the least recently seen clients
 * forgotten first), and strips cookies both ways. A plain fetch handler: Workers, Deno,
 * Node (with `@vclm/emulator/node`'s style of adapter or any fetch-based server).
 *
 * @example
 * ```ts
 * const relay = createRelay();
 * export default { fetch: (request: Request) => (new URL(request.url).pathname === "/vclm" ? relay(request) : app(request)) };
 * ```
 */
export function createRelay(options: RelayOptions = {}): (request: Request, info?: RelayRequestInfo) => Promise<Response> {
  const {
    target = `https://${VCLM_API.host}/`,
    actions = VCLM_API.actions,
    maxClients = 10_000,
    maxBodyBytes = 16 * 1024 * 1024,
    requestsPerMinute = 120,
    clientKey = defaultClientKey,
    fetch: send = globalThis.fetch,
    now = Date.now,
  } = options;
  const windows = new Map<string, { minute: number; count: number }>();

  return async (request, info = {}) => {
    if (request.method !== "POST") return refuse(405, "the relay forwards POST requests only");
    const action = request.headers.get("x-tc-action") ?? "";
    if (!(actions as readonly string[]).includes(action))
      return refuse(403, `the relay does not forward ${action || "requests without X-TC-Action"}`);
    const key = clientKey(request, info);
    const minute = Math.floor(now() / 60_000);
    const window = windows.get(key);
    const limited = window?.minute === minute && window.count >= requestsPerMinute;
    // A Map iterates in insertion order: re-inserting on every request, refused ones included, keeps
    // the least recently seen first, and only that one is forgotten when the map is full.
    windows.delete(key);
    windows.set(key, window?.minute === minute ? { minute, count: window.count + (limited ? 0 : 1) } : { minute, count: 1 });
    if (windows.size > maxClients) windows.delete(windows.keys().next().value as string);
    if (limited) return refuse(429, "too many requests: slow down");
    if (Number(request.headers.get("content-length") ?? 0) > maxBodyBytes) return refuse(413, `the body is over ${maxBodyBytes} bytes`);
    const body = await readCapped(request.body, maxBodyBytes);
    if (!body) return refuse(413, `the body is over ${maxBodyBytes} bytes`);

    const headers = new Headers();
    for (const [name, value] of request.headers) if (FORWARDED.test(name)) headers.set(name, value);
    const answer = await send(target, { method: "POST", headers, body });
    const back = new Headers({ "Content-Type": answer.headers.get("content-type") ?? "application/json", "Cache-Control": "no-store" });
    const date = answer.headers.get("date");
    if (date) back.set("Date", date); // the retry plugin corrects clock skew with it
    return new Response(answer.body, { status: answer.status, headers: back });
  };
}
