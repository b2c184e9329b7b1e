import type { CredentialsProvider } from "@vclm/signer";
import * as v from "valibot";
import { VclmResponseError } from "../errors/response-error.js";
import { type CacheCredentialsOptions, cacheCredentials } from "./cache.js";
import { fetchText } from "./fetch-text.js";
import { expiringFrom } from "./sts-credentials.js";

/**
 * The CVM metadata service, as every official SDK reaches it.
 *
 * @example
 * ```ts
 * const roles = new URL("cam/security-credentials/", CVM_METADATA_ENDPOINT); // lists the instance's role
 * ```
 */
export const CVM_METADATA_ENDPOINT = "http://metadata.tencentyun.com/latest/meta-data/";

const answer = v.object({
  TmpSecretId: v.string(),
  TmpSecretKey: v.string(),
  Token: v.string(),
  ExpiredTime: v.number(),
  Code: v.literal("Success"),
});

/**
 * Options for {@link fromCvmRole}.
 *
 * @example
 * ```ts
 * const options: FromCvmRoleOptions = { roleName: "vclm-worker", timeout: 2_000 };
 * ```
 */
export interface FromCvmRoleOptions extends CacheCredentialsOptions {
  /** The metadata service's base. @default "http://metadata.tencentyun.com/latest/meta-data/" */
  readonly endpoint?: string | URL | undefined;
  /** The role's name. @default the role bound to the instance, asked of the metadata service */
  readonly roleName?: string | undefined;
  /**
   * Milliseconds a refresh may take, both requests together. The service is on the instance's own
   * network and answers in milliseconds; off a CVM, nothing answers, and this is what it costs.
   * @default 1_000
   */
  readonly timeout?: number;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * The temporary credentials of the CAM role bound to this CVM instance, from its metadata service,
 * refreshed ahead of expiry. Off a CVM the service does not answer, and the first call fails within
 * `timeout` (1 s) with a `VclmNetworkError` or `VclmTimeoutError`; on a CVM with no role bound, with
 * a `VclmResponseError` of status 404 that says so.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore", credentials: fromCvmRole() }); // on a CVM
 * ```
 */
export function fromCvmRole(options: FromCvmRoleOptions = {}): CredentialsProvider {
  const { endpoint = CVM_METADATA_ENDPOINT, roleName, timeout = 1_000, fetch: fetcher = globalThis.fetch, ...cache } = options;
  const roles = new URL("cam/security-credentials/", endpoint);
  const action = "fetch CVM role credentials";
  return cacheCredentials(
    async ({ signal: dropped }) => {
      const deadline = AbortSignal.timeout(timeout);
      // Aborted at the deadline, or with the refresh they serve.
      const signal = AbortSignal.any([deadline, dropped]);
      const get = (url: URL) =>
        fetchText(fetcher, url, { signal }, { action, deadline, timeout, notDone: `reach the CVM metadata service at ${roles.origin}` });
      let role = roleName;
      if (!role) {
        const { response: listed, body: text } = await get(roles);
        if (listed.status === 404)
          throw new VclmResponseError(`no CAM role is bound to this instance (the metadata service at ${roles.origin} lists none)`, {
            action,
            status: 404,
            body: "",
          });
        role = text.split("\n")[0]?.trim();
        if (!listed.ok || !role)
          throw new VclmResponseError(`the metadata service at ${roles.origin} did not name the instance's role`, {
            action,
            status: listed.status,
            body: listed.ok ? "" : text,
          });
      }
      const { response, body } = await get(new URL(encodeURIComponent(role), roles));
      let parsed: v.SafeParseResult<typeof answer> | undefined;
      try {
        parsed = v.safeParse(answer, JSON.parse(body));
      } catch {}
      // The body holds secrets: it is never repeated.
      if (!response.ok || !parsed?.success)
        throw new VclmResponseError(`the metadata service gave no credentials for the role ${role}`, {
          action,
          status: response.status,
          body: "",
        });
      const { TmpSecretId, TmpSecretKey, Token, ExpiredTime } = parsed.output;
      return expiringFrom(
        { Credentials: { TmpSecretId, TmpSecretKey, Token }, ExpiredTime },
        `the metadata service (role ${role})`,
        action,
      );
    },
    // The requests' own deadline (`timeout`) comes first, and names the metadata service.
    { timeout: timeout + 1_000, ...cache },
  );
}
