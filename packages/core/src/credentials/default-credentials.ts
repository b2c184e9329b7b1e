import type { CredentialsProvider } from "@vclm/signer";
import { canReadFiles } from "#files";
import { type CredentialsSourceTried, VclmCredentialsError } from "../errors/credentials-error.js";
import { VclmNetworkError } from "../errors/network-error.js";
import { VclmResponseError } from "../errors/response-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import { VclmValidationError } from "../errors/validation-error.js";
import { type EnvRecord, readEnv } from "../runtime/env.js";
import { keepFirstSuccess } from "../util/keep-first-success.js";
import type { CredentialsWait } from "./cache.js";
import { CVM_METADATA_ENDPOINT, fromCvmRole } from "./from-cvm-role.js";
import { fromEnv } from "./from-env.js";
import { lookUpProfile } from "./from-profile.js";
import { fromWebIdentity, TKE_VARIABLES } from "./from-web-identity.js";

/**
 * Options for {@link defaultCredentials}: where each source is looked for. The defaults are the
 * official SDKs'.
 *
 * @example
 * ```ts
 * const options: DefaultCredentialsOptions = { profile: "vclm", metadataTimeout: 500 };
 * ```
 */
export interface DefaultCredentialsOptions {
  /** Where `TENCENTCLOUD_*`, `TKE_*` and `VCLM_METADATA_*` are read. @default the runtime's environment */
  readonly env?: EnvRecord | undefined;
  /** The profile file's section. @default "default" */
  readonly profile?: string | undefined;
  /** The profile file. @default `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials` */
  readonly profileFile?: string | undefined;
  /** The CVM metadata service's base. @default VCLM_METADATA_ENDPOINT, else "http://metadata.tencentyun.com/latest/meta-data/" */
  readonly metadataEndpoint?: string | URL | undefined;
  /** Milliseconds the metadata service has to answer before the chain moves on. @default 1_000 */
  readonly metadataTimeout?: number | undefined;
  /** STS's endpoint, for the TKE web identity. @default "https://sts.tencentcloudapi.com/" */
  readonly stsEndpoint?: string | undefined;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
}

type Probe = () => Promise<CredentialsProvider | { readonly absent: string }>;

const absent = (reason: string) => ({ absent: reason });
const needs = (source: string, missing: readonly string[]) =>
  new VclmValidationError("credentials", [
    {
      path: missing.join(", "),
      message: `${source} is half set up: ${missing.join(" and ")} not set: set ${missing.join(" and ")} too, or unset the others to use the next source`,
    },
  ]);

/**
 * The official SDKs' credentials chain, in their order: the environment (`TENCENTCLOUD_SECRET_ID`,
 * `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN`), the profile file
 * (`~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials`), the CVM instance role
 * (the metadata service, given 1 s to answer), and TKE's OIDC role (`TKE_*` variables). The first
 * source that is set up is used from then on, refreshed ahead of expiry. `VclmClient` uses it on
 * Node, Deno and Bun when given no credentials (Workers and browsers have only the environment).
 *
 * Unlike the official chain, a source that is set up but broken (one of two variables, a malformed
 * file, a refused token) fails with its own error instead of silently yielding to the next; and
 * when nothing is found, one `VclmCredentialsError` lists each source and why it gave nothing.
 * Setting `VCLM_METADATA_DISABLED=true` skips the metadata service; `VCLM_METADATA_ENDPOINT`
 * points elsewhere (the emulator's, in tests).
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore", credentials: defaultCredentials({ profile: "vclm" }) });
 * ```
 */
export function defaultCredentials(options: DefaultCredentialsOptions = {}): CredentialsProvider {
  const { env, fetch } = options;
  // Read at each search: variables set after a search that found nothing are seen by the next.
  const setting = (name: string) => readEnv([name], env)[name];
  const sources: [string, Probe][] = [
    [
      "environment",
      async () => {
        const [id, key] = [setting("TENCENTCLOUD_SECRET_ID"), setting("TENCENTCLOUD_SECRET_KEY")];
        if (!id && !key) return absent("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set");
        if (!id || !key) throw needs("the environment", [id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID"]);
        return fromEnv(env);
      },
    ],
    [
      "profile file",
      async () => {
        const found = await lookUpProfile({ profile: options.profile, file: options.profileFile });
        return "absent" in found ? found : () => found.credentials;
      },
    ],
    [
      "CVM instance role",
      async () => {
        if (!canReadFiles) return absent("this runtime has no metadata service");
        if (/^(1|true|yes)$/i.test(setting("VCLM_METADATA_DISABLED") ?? "")) return absent("VCLM_METADATA_DISABLED is set");
        const endpoint = options.metadataEndpoint ?? setting("VCLM_METADATA_ENDPOINT") ?? CVM_METADATA_ENDPOINT;
        const provider = fromCvmRole({ endpoint, timeout: options.metadataTimeout ?? 1_000, fetch });
        try {
          await provider();
        } catch (error) {
          if (error instanceof VclmTimeoutError || error instanceof VclmNetworkError)
            return absent(`the metadata service at ${new URL(endpoint).origin} did not answer (not a CVM)`);
          if (error instanceof VclmResponseError && error.status === 404) return absent("no CAM role is bound to this instance");
          throw error;
        }
        return provider;
      },
    ],
    [
      "TKE web identity",
      async () => {
        const tke = readEnv(TKE_VARIABLES, env);
        const missing = TKE_VARIABLES.filter((name) => !tke[name]);
        if (missing.length === TKE_VARIABLES.length) return absent(`${TKE_VARIABLES.join(", ")} are not set`);
        if (missing.length) throw needs("TKE's web identity", missing);
        const provider = fromWebIdentity({ env, fetch, ...(options.stsEndpoint && { endpoint: options.stsEndpoint }) });
        await provider();
        return provider;
      },
    ],
  ];

  const resolve = async (): Promise<CredentialsProvider> => {
    const tried: CredentialsSourceTried[] = [];
    for (const [source, probe] of sources) {
      const found = await probe();
      if (typeof found === "function") return found;
      tried.push({ source, reason: found.absent });
    }
    throw new VclmCredentialsError(tried);
  };
  // The first source found is kept; a search that found nothing, or failed, is not (the next call looks again).
  const chosen = keepFirstSuccess(resolve);
  // The call's `CredentialsWait` (its signal) is passed on to the source, so a source's refresh that
  // no call waits for any more is dropped.
  return async (wait?: CredentialsWait) => Promise.resolve(wait).then(await chosen());
}
