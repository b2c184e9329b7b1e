import type { CredentialsProvider } from "@vclm/signer";
import * as v from "valibot";
import { VclmResponseError } from "../errors/response-error.js";
import { issuesOf } from "../middleware/validate-input.js";
import { type CacheCredentialsOptions, cacheCredentials, type ExpiringCredentials } from "./cache.js";

// STS's answer (GetFederationToken, AssumeRole), bare or in its envelope.
const stsCredentials = v.object({
  Credentials: v.object({ TmpSecretId: v.string(), TmpSecretKey: v.string(), Token: v.string() }),
  ExpiredTime: v.number(),
});

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
 * calls wait; a failed refresh is retried by the next call.
 *
 * @example
 * ```ts
 * const client = new VclmClient({
 *   region: "ap-singapore",
 *   endpoint: "/vclm-relay",
 *   signingHost: "vclm.intl.tencentcloudapi.com",
 *   credentials: fromEndpoint("/api/vclm-credentials"),
 * });
 * ```
 */
export function fromEndpoint(
  url: string | URL,
  { fetch: fetcher = globalThis.fetch, init = {}, ...cache }: FromEndpointOptions = {},
): CredentialsProvider {
  const load = async (): Promise<ExpiringCredentials> => {
    const response = await fetcher(url, init);
    const body = await response.text();
    const action = "fetch credentials";
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
    const result = v.safeParse(stsCredentials, (parsed as { Response?: unknown } | null)?.Response ?? parsed);
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
    const { Credentials, ExpiredTime } = result.output;
    return {
      secretId: Credentials.TmpSecretId,
      secretKey: Credentials.TmpSecretKey,
      token: Credentials.Token,
      expiresAt: new Date(ExpiredTime * 1000),
    };
  };
  return cacheCredentials(load, cache);
}
