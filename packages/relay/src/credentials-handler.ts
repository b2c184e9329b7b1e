import { VCLM_API, type VclmClient } from "@vclm/core";
import type { Authorize } from "./authorize.js";
import type { RelayRequestInfo } from "./client-address.js";
import { refuse } from "./refuse.js";
import type { RelayStore } from "./store.js";
import { GetFederationToken, vclmPolicy } from "./sts.js";

/**
 * How a {@link createCredentialsHandler} issues credentials.
 *
 * @example
 * ```ts
 * const options: CredentialsHandlerOptions = { authorize, sts, store, bindTo: "203.0.113.7/32" };
 * ```
 */
export interface CredentialsHandlerOptions {
  /** Who the request is from; undefined refuses it with 401. Required. */
  readonly authorize: Authorize;
  /** A client for STS holding your permanent key (`endpoint: "https://sts.intl.tencentcloudapi.com/"`): the only place it lives. */
  readonly sts: VclmClient;
  /** Where the issued SecretIds are remembered, with their user: the same store the relay reads. */
  readonly store: RelayStore;
  /**
   * Bind the credentials to this address or CIDR range (`qcs:ip`): the relay's outbound address.
   * Then they work only through the relay, and a stolen copy is useless anywhere else.
   * @default unbound
   */
  readonly bindTo?: string | undefined;
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
 * @example
 * ```ts
 * const store = memoryStore();
 * const credentials = createCredentialsHandler({ authorize, sts, store });
 * const relay = createRelay({ authorize, store });
 * ```
 */
export function createCredentialsHandler(
  options: CredentialsHandlerOptions,
): (request: Request, info?: RelayRequestInfo) => Promise<Response> {
  const { authorize, sts, store, bindTo, durationSeconds = 900, issuesPerMinute = 6, actions = VCLM_API.actions, now = Date.now } = options;
  if (typeof authorize !== "function")
    throw new TypeError("createCredentialsHandler needs authorize(request): who is asking (see anyoneMaySpendMyMoney to let anyone in)");
  const Policy = vclmPolicy({ actions, ip: bindTo });
  return async (request, info = {}) => {
    if (request.method !== "POST") return refuse(405, "ask for credentials with POST");
    const user = await authorize(request, info);
    if (!user) return refuse(401, "sign in first: credentials are issued to signed-in users only");
    if ((await store.hit(`issue:${user.id}`, 60_000, now())) > issuesPerMinute)
      return refuse(429, `at most ${issuesPerMinute} credentials per minute: use the ones you have until they expire`);
    const answer = await sts.send(GetFederationToken, { Name: "vclm-relay", Policy, DurationSeconds: durationSeconds });
    const { TmpSecretId, TmpSecretKey } = answer.Credentials;
    await store.claim(
      `secret:${TmpSecretId}`,
      JSON.stringify({ user: user.id, secretKey: TmpSecretKey }),
      answer.ExpiredTime * 1000,
      now(),
    );
    return new Response(
      JSON.stringify({ Credentials: answer.Credentials, ExpiredTime: answer.ExpiredTime, Expiration: answer.Expiration }),
      {
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
      },
    );
  };
}
