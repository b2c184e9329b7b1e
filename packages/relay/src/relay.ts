import { type Clock, OPERATIONS, type Operation, systemClock, VCLM_API } from "@vclm/core";
import { readCapped } from "@vclm/core/internal";
import type { Authorize } from "./authorize.js";
import type { RelayRequestInfo } from "./client-address.js";
import { observed, type RelayObserveOptions } from "./observed.js";
import { refuse, withStore } from "./refuse.js";
import type { RelayStore } from "./store.js";
import { madeNoJob } from "./submit-answer.js";
import { parseAuthorization, signatureMatches } from "./verify-signature.js";

/**
 * How a relay behaves.
 *
 * @example
 * ```ts
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const options: RelayOptions = { authorize, store: memoryStore(), submitsPerDay: 20, target: "http://127.0.0.1:8080/" };
 * ```
 */
export interface RelayOptions extends RelayObserveOptions {
  /** Who the request is from; undefined refuses it with 401. Required: see `anyoneMaySpendMyMoney` to let anyone in. */
  readonly authorize: Authorize;
  /** The store the credentials handler writes the issued SecretIds to, and where quotas, owners and seen signatures are kept. */
  readonly store: RelayStore;
  /** Where signed requests go. @default "https://vclm.intl.tencentcloudapi.com/" */
  readonly target?: string;
  /** The host the browser signs for. @default "vclm.intl.tencentcloudapi.com" */
  readonly signingHost?: string;
  /**
   * The operations forwarded; anything else is refused. Each one that is not idempotent (a
   * second send can be a second paid job) counts against `submitsPerDay`, is forwarded once per
   * signature, and the JobId it answers is recorded as the user's; each one whose input names a
   * `JobId` is forwarded only for the user's own jobs.
   * @default every operation of `@vclm/core` (its `OPERATIONS`)
   */
  readonly operations?: readonly Operation[];
  /** Paid jobs per user per day; the next gets 429 and is not forwarded. A unit is given back when the service's answer shows no job was made. @default 20 */
  readonly submitsPerDay?: number;
  /** Requests per user per minute, all actions, counted once a request's signature checks out. @default 120 */
  readonly requestsPerMinute?: number;
  /** The largest body forwarded (a 10 MB photo is 13.4 MB as base64 JSON). @default 16 MiB */
  readonly maxBodyBytes?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * The time, and the pauses between the tries of a job's owner record after a forward (a store
   * restarting): a test or a simulation gives a virtual one. @default systemClock
   */
  readonly clock?: Clock;
  /** The time in ms, if not the clock's. @default the clock's `now` */
  readonly now?: () => number;
}

// Only these headers cross: the signature and what it covers. Cookies and everything else stay behind.
const FORWARDED =
  /^(authorization|content-type|x-tc-(action|version|region|timestamp|token|language|requestclient|traceid|content-sha256))$/i;
const DAY = 86_400_000;
const FIVE_MINUTES = 300;
/** How long a job stays its user's in the store: its video is served for 24 hours after it is done. */
const JOB_OWNER_MS = 3 * DAY;

/** The JobId a request body names, if it names one. */
const jobIdIn = (body: Uint8Array): string | undefined => {
  try {
    const { JobId } = JSON.parse(new TextDecoder().decode(body)) as { JobId?: unknown };
    return typeof JobId === "string" ? JobId : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A same-origin relay for browsers: the VCLM API sends no CORS headers, so a page sends its signed
 * requests here, and the relay forwards them unchanged. It holds no secret, and it forwards only:
 * requests from a user `authorize` accepts (401 otherwise); signed with temporary credentials the
 * credentials handler issued to that very user (401 unsigned, 403 someone else's, expired or
 * forged); never a paid request whose signature it already forwarded (403: a replay would be a
 * second paid job); within the user's paid quota and request rate (429), whichever address or
 * `X-Forwarded-For` the client sends; and only the user's own jobs (403 for anyone else's JobId).
 * Every operation that is not idempotent is paid, so a new paid action cannot be forwarded free.
 * Only the VCLM operations, JSON bodies up to a cap (read no further), no cookies either way.
 * Refusals are JSON `{ error }` and are never forwarded; a store that cannot keep its records
 * refuses with 503.
 *
 * With a `tracer`, each request is a server span (`vclm.relay <Action>`, or `vclm.relay` for
 * one that names no operation it forwards) continuing the page's `traceparent`: its action, its
 * status, why it was refused (`vclm.relay.refusal`), the service's status (`vclm.upstream.status_code`),
 * RequestId, error code and JobId. The request forwarded carries the relay span's `traceparent`
 * (it is not signed: the signature still holds), and the answer its `traceresponse`, so the page
 * learns the relay's span. With a `logger`, a warning per refusal and a debug line per request
 * answered. No key, token, signature or photo byte is in either.
 *
 * @example
 * ```ts
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const relay = createRelay({ authorize, store: memoryStore() });
 * export default {
 *   fetch: (request: Request) => (new URL(request.url).pathname === "/vclm" ? relay(request) : new Response("not found", { status: 404 })),
 * };
 * ```
 */
export function createRelay(options: RelayOptions): (request: Request, info?: RelayRequestInfo) => Promise<Response> {
  const {
    authorize,
    store,
    target = `https://${VCLM_API.host}/`,
    signingHost = VCLM_API.host,
    operations = OPERATIONS,
    submitsPerDay = 20,
    requestsPerMinute = 120,
    maxBodyBytes = 16 * 1024 * 1024,
    fetch: send = globalThis.fetch,
    clock = systemClock,
    now = () => clock.now(),
  } = options;
  if (typeof authorize !== "function")
    throw new TypeError("createRelay needs authorize(request): who is asking (see anyoneMaySpendMyMoney to let anyone in)");
  if (!store) throw new TypeError("createRelay needs the store its credentials handler writes to (e.g. memoryStore())");
  const byAction = new Map(operations.map((operation) => [operation.action, operation]));
  // Only an action it forwards names a span: a client writes X-TC-Action as it likes.
  const named = (request: Request) => {
    const action = request.headers.get("x-tc-action") ?? "";
    return byAction.has(action) ? { name: `vclm.relay ${action}`, action } : { name: "vclm.relay" };
  };

  return observed(options, "vclm.relay", named, async (request, info, seen) => {
    if (request.method !== "POST") return refuse(405, "the relay forwards POST requests only");
    const action = request.headers.get("x-tc-action") ?? "";
    const operation = byAction.get(action);
    if (!operation) return refuse(403, `the relay does not forward ${action || "requests without X-TC-Action"}`);
    const user = await authorize(request, info);
    if (!user) return refuse(401, "sign in first: the relay forwards requests of signed-in users only");
    seen?.user(user.id);
    const at = now();

    const signed = parseAuthorization(request.headers.get("authorization"));
    if (!signed) return refuse(401, "the request is not signed: sign it with the credentials from this site");
    return withStore(async () => {
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
      if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
        return refuse(415, "the relay forwards JSON requests only (Content-Type: application/json)");
      // Counted only now: a request that is not this user's signed one costs the store nothing.
      if (!(await store.take(`rate:${user.id}`, requestsPerMinute, 60_000, at))) return refuse(429, "too many requests: slow down");

      const JobId = jobIdIn(body);
      if (JobId !== undefined && (await store.get(`job:${JobId}`, at)) !== user.id) return refuse(403, `job ${JobId} is not one of yours`);
      if (JobId !== undefined) seen?.note({ "vclm.job_id": JobId }); // one of the user's: a JobId the service gave
      const paid = !operation.idempotent;
      if (paid) {
        // A signature is valid for 5 minutes either side of its timestamp: a paid one is forwarded
        // once, never again. (A Describe sent twice costs nothing; a retry may well repeat it.)
        if (!(await store.claim(`signature:${signed.signature}`, user.id, (timestamp + FIVE_MINUTES + 60) * 1000, at)))
          return refuse(403, "this signed request was already forwarded: a replay is refused");
        if (!(await store.take(`submit:${user.id}`, submitsPerDay, DAY, at)))
          return refuse(429, `the quota of ${submitsPerDay} jobs a day is used up`);
      }

      const headers = new Headers();
      for (const [name, value] of request.headers) if (FORWARDED.test(name)) headers.set(name, value);
      // The relay's span, not the page's header: the service's hop is the relay's child. Not signed
      // (the signature covers the content type, the host and X-TC-Action), so it changes nothing signed.
      const trace: Record<string, string> = {};
      seen?.span.inject?.(trace);
      for (const [name, value] of Object.entries(trace)) headers.set(name, value);
      // A paid request that got no answer may have made a job: its unit stays spent.
      const answer = await send(target, { method: "POST", headers, body });
      const back = new Headers({ "Content-Type": answer.headers.get("content-type") ?? "application/json", "Cache-Control": "no-store" });
      const date = answer.headers.get("date");
      if (date) back.set("Date", date); // the retry plugin corrects clock skew with it
      // Watched, the answer is read for its RequestId (a Describe's is small); otherwise it streams through.
      if (!paid && !seen) return new Response(answer.body, { status: answer.status, headers: back });
      const text = await answer.text();
      seen?.answered(answer.status, text);
      if (!paid) return new Response(text, { status: answer.status, headers: back });
      const result = answer.status === 200 ? madeNoJob(text) : { noJob: false };
      // Forwarded: whatever the store says now, the answer is the user's (a paid job's JobId is never
      // dropped for a record). A store that does not answer is asked again a few times: a claim
      // asked twice is kept once.
      const made = result.JobId;
      if (made) await persist(clock, () => store.claim(`job:${made}`, user.id, at + JOB_OWNER_MS, now()));
      // The service said no job was made (JobNumExceed, a refused photo, bad credentials): the unit is
      // given back, asked once. A refund whose answer was lost may have been made: asked again, it
      // could give back a unit another Submit holds, and let a job past the quota. Lost, the unit stays spent.
      if (result.noJob) await store.giveBack(`submit:${user.id}`, DAY, at, now()).catch(() => {});
      return new Response(text, { status: answer.status, headers: back });
    });
  });
}

/**
 * Tries a record after a forwarded call for about 10 s (pauses of 0.2, 1, 3 and 6 s: a store
 * restarting), then lets it go: its answer goes back regardless.
 */
async function persist(clock: Clock, record: () => Promise<unknown>): Promise<void> {
  for (const pause of [200, 1_000, 3_000, 6_000, -1])
    try {
      return void (await record());
    } catch {
      if (pause < 0) return; // the job's owner is not recorded: its user sees the JobId, and the relay refuses its Describes (403)
      await clock.sleep(pause);
    }
}

/**
 * How many paid jobs a user has left today under a relay's `submitsPerDay`, for your page to show.
 *
 * @example
 * ```ts
 * const store = memoryStore(); // the relay's
 * const user: RelayUser = { id: "alice" }; // what your authorize answered
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
