import { VCLM_API, type VclmClient } from "@vclm/core";
import { GetFederationToken, StsCredentials } from "@vclm/core/sts";
import * as v from "valibot";
import type { Authorize } from "./authorize.js";
import { cidrProblem } from "./cidr.js";
import type { RelayRequestInfo } from "./client-address.js";
import { observed, type RelayObserveOptions } from "./observed.js";
import { refuse, withStore } from "./refuse.js";
import type { RelayStore } from "./store.js";
import { vclmPolicy } from "./vclm-policy.js";

/**
 * How a {@link createCredentialsHandler} issues credentials.
 *
 * @example
 * ```ts
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint }); // your permanent key: from the environment
 * const options: CredentialsHandlerOptions = { authorize, sts, store: memoryStore(), bindTo: "203.0.113.7/32" };
 * ```
 */
export interface CredentialsHandlerOptions extends RelayObserveOptions {
  /** Who the request is from; undefined refuses it with 401. Required. */
  readonly authorize: Authorize;
  /** A client for STS holding your permanent key (`endpoint: STS.intlEndpoint`, from `@vclm/core/sts`): the only place it lives. */
  readonly sts: VclmClient;
  /** Where the issued SecretIds are remembered, with their user: the same store the relay reads. */
  readonly store: RelayStore;
  /**
   * The relay's outbound address, or addresses, as CIDR ranges (`203.0.113.7/32`): the credentials
   * work only from there (`qcs:ip`), so only through the relay, with its quota and replay refusal,
   * and a stolen copy is useless anywhere else. Required, unless `credentialsWorkFromAnywhere`.
   * Finding the address: see the relay's README ("Binding credentials to the relay").
   */
  readonly bindTo?: string | readonly string[] | undefined;
  /**
   * Issue credentials that work from any address: a signed-in user can then take them out of the
   * page and call the service directly, past the relay's quota and replay refusal. Only for tests
   * and demos where that is acceptable. @default false
   */
  readonly credentialsWorkFromAnywhere?: boolean;
  /** How long the credentials live, in seconds (STS allows 1 to 7200 for GetFederationToken). @default 900 */
  readonly durationSeconds?: number;
  /** Credentials per user per minute. @default 6 */
  readonly issuesPerMinute?: number;
  /** The VCLM actions the credentials may call. @default VCLM_API.actions */
  readonly actions?: readonly string[];
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * A fetch handler that hands a signed-in user temporary credentials for the browser: STS
 * GetFederationToken with the least privilege (the VCLM actions only, 15 minutes by default,
 * optionally bound to the relay's address), at most `issuesPerMinute` per user. Anonymous requests
 * get 401 and nothing else. The SecretId is remembered with its user, so the relay forwards it for
 * that user only. Answers STS's own shape (`{ Credentials, ExpiredTime, Expiration }`), which
 * `fromEndpoint` reads.
 *
 * With a `tracer`, each request is a server span (`vclm.credentials`) continuing the page's
 * `traceparent`, with its status, why it was refused (`vclm.relay.refusal`) and how long the
 * credentials live; the STS call is its child when `sts` is observed too. With a `logger`, a
 * warning per refusal and a debug line per credentials issued. The credentials are in neither.
 *
 * @example
 * ```ts
 * declare function userOfSession(request: Request): Promise<{ id: string } | undefined>; // your sign-in
 * const authorize: Authorize = (request) => userOfSession(request);
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint }); // your permanent key: from the environment
 * const store = memoryStore();
 * const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "203.0.113.7/32" });
 * const relay = createRelay({ authorize, store });
 * ```
 */
export function createCredentialsHandler(
  options: CredentialsHandlerOptions,
): (request: Request, info?: RelayRequestInfo) => Promise<Response> {
  const { authorize, sts, store, durationSeconds = 900, issuesPerMinute = 6, actions = VCLM_API.actions, now = Date.now } = options;
  if (typeof authorize !== "function")
    throw new TypeError("createCredentialsHandler needs authorize(request): who is asking (see anyoneMaySpendMyMoney to let anyone in)");
  const Policy = vclmPolicy({ actions, ip: bindings(options) });
  return observed(
    options,
    "vclm.credentials",
    () => ({ name: "vclm.credentials" }),
    async (request, info, seen) => {
      if (request.method !== "POST") return refuse(405, "ask for credentials with POST");
      const user = await authorize(request, info);
      if (!user) return refuse(401, "sign in first: credentials are issued to signed-in users only");
      seen?.user(user.id);
      return withStore(async () => {
        if (!(await store.take(`issue:${user.id}`, issuesPerMinute, 60_000, now())))
          return refuse(429, `at most ${issuesPerMinute} credentials per minute: use the ones you have until they expire`);
        const answer = await sts.send(
          GetFederationToken,
          { Name: "vclm-relay", Policy, DurationSeconds: durationSeconds },
          { parent: seen?.span },
        );
        seen?.note({ "vclm.credentials.duration_s": durationSeconds, "vclm.request_id": answer.RequestId });
        const { TmpSecretId, TmpSecretKey } = answer.Credentials;
        const owner = JSON.stringify({ user: user.id, secretKey: TmpSecretKey });
        // Recorded before they are handed out: credentials the relay cannot tie to their user are never given.
        await store.claim(`secret:${TmpSecretId}`, owner, answer.ExpiredTime * 1000, now());
        return issued(answer);
      });
    },
  );
}

/** The credentials as STS gives them, in the one shape `fromEndpoint` reads (`StsCredentials`: the RequestId left out), never cached. */
function issued(answer: v.InferInput<typeof StsCredentials>): Response {
  return new Response(JSON.stringify(v.parse(StsCredentials, answer)), {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

/** The CIDR ranges to bind to, checked; undefined only when the deployer opted out by name. */
function bindings({ bindTo, credentialsWorkFromAnywhere }: CredentialsHandlerOptions): readonly string[] | undefined {
  if (credentialsWorkFromAnywhere === true) {
    if (bindTo !== undefined) throw new TypeError("give bindTo or credentialsWorkFromAnywhere, not both");
    return undefined;
  }
  const ranges = bindTo === undefined ? [] : typeof bindTo === "string" ? [bindTo] : [...bindTo];
  if (!ranges.length)
    throw new TypeError(
      "createCredentialsHandler needs bindTo: the relay's outbound address as a CIDR range (203.0.113.7/32), so the credentials work only through the relay. Without it, a signed-in user can take them out of the page and submit past the relay's quota; to issue such credentials anyway, say credentialsWorkFromAnywhere: true",
    );
  const problems = ranges.map(cidrProblem).filter(Boolean);
  if (problems.length) throw new TypeError(`bindTo: ${problems.join("; ")}`);
  return ranges.map((range) => range.trim());
}
