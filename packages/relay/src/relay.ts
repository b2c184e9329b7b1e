import { readCapped, VCLM_API } from "@vclm/core";
import type { Authorize } from "./authorize.js";
import type { RelayRequestInfo } from "./client-address.js";
import { refuse } from "./refuse.js";
import type { RelayStore } from "./store.js";
import { parseAuthorization, signatureMatches } from "./verify-signature.js";

/**
 * How a relay behaves.
 *
 * @example
 * ```ts
 * const options: RelayOptions = { authorize, store, submitsPerDay: 20, target: "http://127.0.0.1:8080/" };
 * ```
 */
export interface RelayOptions {
  /** Who the request is from; undefined refuses it with 401. Required: see `anyoneMaySpendMyMoney` to let anyone in. */
  readonly authorize: Authorize;
  /** The store the credentials handler writes the issued SecretIds to, and where quotas and seen signatures are kept. */
  readonly store: RelayStore;
  /** Where signed requests go. @default "https://vclm.intl.tencentcloudapi.com/" */
  readonly target?: string;
  /** The host the browser signs for. @default "vclm.intl.tencentcloudapi.com" */
  readonly signingHost?: string;
  /** The actions forwarded; anything else is refused. @default VCLM_API.actions from `@vclm/core` */
  readonly actions?: readonly string[];
  /** Paid jobs (SubmitImageAnimateJob) per user per day; the next gets 429 and is not forwarded. @default 20 */
  readonly submitsPerDay?: number;
  /** Requests per user per minute, all actions. @default 120 */
  readonly requestsPerMinute?: number;
  /** The largest body forwarded (a 10 MB photo is 13.4 MB as base64 JSON). @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

// Only these headers cross: the signature and what it covers. Cookies and everything else stay behind.
const FORWARDED =
  /^(authorization|content-type|x-tc-(action|version|region|timestamp|token|language|requestclient|traceid|content-sha256))$/i;
const DAY = 86_400_000;
// The action that makes a paid job: quota and replay refusal apply to it.
const PAID = "SubmitImageAnimateJob";
const FIVE_MINUTES = 300;

/**
 * A same-origin relay for browsers: the VCLM API sends no CORS headers, so a page sends its signed
 * requests here, and the relay forwards them unchanged. It holds no secret, and it forwards only:
 * requests from a user `authorize` accepts (401 otherwise); signed with temporary credentials the
 * credentials handler issued to that very user (401 unsigned, 403 someone else's, expired or
 * forged); never a Submit whose signature it already forwarded (403: a replay would be a second
 * paid job); within the user's Submit quota and request rate (429), whichever address or
 * `X-Forwarded-For` the client sends. Only the VCLM actions, bodies up to a cap (read no further),
 * no cookies either way. Refusals are JSON `{ error }` and are never forwarded.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * const relay = createRelay({ authorize, store });
 * export default { fetch: (request: Request) => (new URL(request.url).pathname === "/vclm" ? relay(request) : app(request)) };
 * ```
 */
export function createRelay(options: RelayOptions): (request: Request, info?: RelayRequestInfo) => Promise<Response> {
  const {
    authorize,
    store,
    target = `https://${VCLM_API.host}/`,
    signingHost = VCLM_API.host,
    actions = VCLM_API.actions,
    submitsPerDay = 20,
    requestsPerMinute = 120,
    maxBodyBytes = 16 * 1024 * 1024,
    fetch: send = globalThis.fetch,
    now = Date.now,
  } = options;
  if (typeof authorize !== "function")
    throw new TypeError("createRelay needs authorize(request): who is asking (see anyoneMaySpendMyMoney to let anyone in)");
  if (!store) throw new TypeError("createRelay needs the store its credentials handler writes to (e.g. memoryStore())");

  return async (request, info = {}) => {
    if (request.method !== "POST") return refuse(405, "the relay forwards POST requests only");
    const action = request.headers.get("x-tc-action") ?? "";
    if (!(actions as readonly string[]).includes(action))
      return refuse(403, `the relay does not forward ${action || "requests without X-TC-Action"}`);
    const user = await authorize(request, info);
    if (!user) return refuse(401, "sign in first: the relay forwards requests of signed-in users only");
    const at = now();
    if ((await store.hit(`rate:${user.id}`, 60_000, at)) > requestsPerMinute) return refuse(429, "too many requests: slow down");

    const signed = parseAuthorization(request.headers.get("authorization"));
    if (!signed) return refuse(401, "the request is not signed: sign it with the credentials from this site");
    const issued = await store.get(`secret:${signed.secretId}`, at);
    if (!issued) return refuse(403, "these credentials were not issued here, or have expired: fetch new ones");
    const { user: owner, secretKey } = JSON.parse(issued) as { user: string; secretKey: string };
    if (owner !== user.id) return refuse(403, "these credentials were issued to another user");
    const timestamp = Number(request.headers.get("x-tc-timestamp"));
    if (!Number.isInteger(timestamp) || Math.abs(timestamp - at / 1000) > FIVE_MINUTES)
      return refuse(401, "the signature's timestamp is more than 5 minutes off: sign again");

    if (Number(request.headers.get("content-length") ?? 0) > maxBodyBytes) return refuse(413, `the body is over ${maxBodyBytes} bytes`);
    const body = await readCapped(request.body, maxBodyBytes);
    if (!body) return refuse(413, `the body is over ${maxBodyBytes} bytes`);
    if (!(await signatureMatches(request, body, signingHost, { secretId: signed.secretId, secretKey }, signed, timestamp)))
      return refuse(403, "the signature does not match the request");

    if (action === PAID) {
      if ((await store.count(`submit:${user.id}`, DAY, at)) >= submitsPerDay)
        return refuse(429, `the quota of ${submitsPerDay} jobs a day is used up`);
      // A signature is valid for 5 minutes either side of its timestamp: a paid one is forwarded
      // once, never again. (A Describe sent twice costs nothing; a retry may well repeat it.)
      if (!(await store.claim(`signature:${signed.signature}`, user.id, (timestamp + FIVE_MINUTES + 60) * 1000, at)))
        return refuse(403, "this signed request was already forwarded: a replay is refused");
      await store.hit(`submit:${user.id}`, DAY, at);
    }

    const headers = new Headers();
    for (const [name, value] of request.headers) if (FORWARDED.test(name)) headers.set(name, value);
    const answer = await send(target, { method: "POST", headers, body });
    const back = new Headers({ "Content-Type": answer.headers.get("content-type") ?? "application/json", "Cache-Control": "no-store" });
    const date = answer.headers.get("date");
    if (date) back.set("Date", date); // the retry plugin corrects clock skew with it
    return new Response(answer.body, { status: answer.status, headers: back });
  };
}

/**
 * How many paid jobs a user has left today under a relay's `submitsPerDay`, for your page to show.
 *
 * @example
 * ```ts
 * const left = await submitsLeft(store, user, 20);
 * ```
 */
export async function submitsLeft(
  store: RelayStore,
  user: { readonly id: string },
  submitsPerDay = 20,
  now: number = Date.now(),
): Promise<number> {
  return Math.max(0, submitsPerDay - (await store.count(`submit:${user.id}`, DAY, now)));
}
