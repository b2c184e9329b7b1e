import type { CredentialsProvider } from "@vclm/signer";
import * as v from "valibot";
import { VclmResponseError } from "../errors/response-error.js";
import { issuesOf } from "../middleware/validate-input.js";
import { StsCredentials } from "../sts/credentials.js";
import { MAX_TIMEOUT } from "../util/deadline.js";
import { type CacheCredentialsOptions, cacheCredentials, type ExpiringCredentials } from "./cache.js";
import { fetchText } from "./fetch-text.js";
import { expiringFrom } from "./sts-credentials.js";

/**
 * Options for {@link fromEndpoint}.
 *
 * @example
 * ```ts
 * const options: FromEndpointOptions = { init: { credentials: "same-origin" }, refreshBefore: 120_000 };
 * ```
 */
export interface FromEndpointOptions extends CacheCredentialsOptions {
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Request options, e.g. headers that prove who the user is. @default {} */
  readonly init?: RequestInit;
}

/**
 * Temporary credentials from your app's own endpoint, for browsers, which must never hold a
 * permanent key. The endpoint answers with STS's `GetFederationToken` / `AssumeRole` answer (bare
 * or in its `Response` envelope). They are cached and refreshed ahead of expiry, once however many
 * calls wait; a failed refresh is retried by the next call, and a refresh whose endpoint does not
 * answer within `timeout`, or that no call waits for any more (each call gives up at its own signal
 * or timeout), is aborted: the first call after a stalled endpoint recovers starts a new one.
 *
 * @example
 * ```ts
 * const client = new VclmClient({
 *   region: "ap-singapore",
 *   endpoint: "/vclm-relay", // a same-origin relay: requests are signed for the service's host
 *   credentials: fromEndpoint("/api/vclm-credentials"),
 * });
 * ```
 */
export function fromEndpoint(
  url: string | URL,
  { fetch: fetcher = globalThis.fetch, init = {}, ...cache }: FromEndpointOptions = {},
): CredentialsProvider {
  const timeout = cache.timeout ?? 30_000;
  const load = async ({ signal: dropped }: { readonly signal: AbortSignal }): Promise<ExpiringCredentials> => {
    const action = "fetch credentials";
    // The request is aborted with the refresh it serves (at its timeout, or once no call waits for
    // it), so a stalled endpoint holds no socket.
    const deadline = timeout > 0 && timeout < MAX_TIMEOUT ? AbortSignal.timeout(timeout) : undefined;
    const signal = AbortSignal.any([dropped, ...(deadline ? [deadline] : []), ...(init.signal ? [init.signal] : [])]);
    const { response, body } = await fetchText(
      fetcher,
      url,
      { ...init, signal },
      {
        action,
        deadline,
        timeout,
        notDone: `${action} from ${url}`,
      },
    );
    if (!response.ok)
      throw new VclmResponseError(`the credentials endpoint ${url} answered HTTP ${response.status}`, {
        action,
        status: response.status,
        body: "",
      });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new VclmResponseError(`the credentials endpoint ${url} did not answer JSON`, { action, status: response.status, body: "" });
    }
    const result = v.safeParse(StsCredentials, (parsed as { Response?: unknown } | null)?.Response ?? parsed);
    if (!result.success) {
      // The body holds secrets: neither it nor valibot's messages (which quote values) are repeated.
      const fields = issuesOf(result.issues)
        .map(({ path }) => path || "the answer")
        .join(", ");
      throw new VclmResponseError(`the credentials endpoint ${url} answered without STS credentials (missing or malformed: ${fields})`, {
        action,
        status: response.status,
        body: "",
      });
    }
    return expiringFrom(result.output, `the credentials endpoint ${url}`, action);
  };
  return cacheCredentials(load, cache);
}
