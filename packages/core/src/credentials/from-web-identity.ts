import type { CredentialsProvider } from "@vclm/signer";
import { canReadFiles, readTextFile } from "#files";
import { VclmValidationError } from "../errors/validation-error.js";
import { type EnvRecord, readEnv } from "../runtime/env.js";
import { AssumeRoleWithWebIdentity } from "../sts/assume-role-with-web-identity.js";
import { type StsOptions, stsClient } from "../sts/sts-client.js";
import { type CacheCredentialsOptions, cacheCredentials } from "./cache.js";
import { expiringFrom } from "./sts-credentials.js";

/**
 * The variables TKE sets in a pod whose service account has an OIDC role.
 *
 * @example
 * ```ts
 * const inTkePod = TKE_VARIABLES.every((name) => process.env[name]);
 * ```
 */
export const TKE_VARIABLES = ["TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN"] as const;

/**
 * Options for {@link fromWebIdentity}. Each one left out is read from TKE's variables.
 *
 * @example
 * ```ts
 * const options: FromWebIdentityOptions = {
 *   token: async () => (await fetch("http://localhost:8080/oidc-token")).text(),
 *   providerId: "ci-oidc",
 *   roleArn: "qcs::cam::uin/100000000001:roleName/vclm-ci",
 * };
 * ```
 */
export interface FromWebIdentityOptions extends CacheCredentialsOptions, Omit<StsOptions, "region"> {
  /** The OpenID Connect token, or a function that returns a fresh one. @default the text of `tokenFile` */
  readonly token?: string | (() => string | Promise<string>) | undefined;
  /** A file holding the token, read again at each refresh (Node, Deno, Bun). @default TKE_WEB_IDENTITY_TOKEN_FILE */
  readonly tokenFile?: string | undefined;
  /** The identity provider's id in CAM. @default TKE_PROVIDER_ID */
  readonly providerId?: string | undefined;
  /** The role to assume: `qcs::cam::uin/<account>:roleName/<name>`. @default TKE_ROLE_ARN */
  readonly roleArn?: string | undefined;
  /** The region sent to STS. @default TKE_REGION, else "ap-guangzhou" */
  readonly region?: string | undefined;
  /** Names the session in CAM's logs. @default "vclm-<time>" */
  readonly roleSessionName?: string | undefined;
  /** How long each set of credentials lasts, 1 to 43,200 seconds. @default 7200 */
  readonly durationSeconds?: number | undefined;
  /** Where TKE's variables are read. @default the runtime's environment */
  readonly env?: EnvRecord | undefined;
}

/**
 * A role's temporary credentials for an OpenID Connect token (a TKE pod's service account token, a
 * CI job's identity token), from STS `AssumeRoleWithWebIdentity`, which is sent unsigned: no key is
 * needed. Without options it reads TKE's variables (`TKE_REGION`, `TKE_PROVIDER_ID`,
 * `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`). The token is read again at each refresh, ahead of
 * expiry, so a rotated token file is picked up. What is missing is named at once, before anything
 * is sent; an expired or forged token is STS's `InvalidParameter.WebIdentityTokenError`.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore", credentials: fromWebIdentity() }); // in a TKE pod
 * ```
 */
export function fromWebIdentity(options: FromWebIdentityOptions = {}): CredentialsProvider {
  const { token, tokenFile, providerId, roleArn, region, roleSessionName, durationSeconds, env, endpoint, fetch, ...cache } = options;
  const tke = readEnv(TKE_VARIABLES, env);
  const file = tokenFile ?? (token === undefined ? tke.TKE_WEB_IDENTITY_TOKEN_FILE : undefined);
  const settings = { providerId: providerId ?? tke.TKE_PROVIDER_ID, roleArn: roleArn ?? tke.TKE_ROLE_ARN };
  const missing = [
    token === undefined && !file && "token (or tokenFile, or TKE_WEB_IDENTITY_TOKEN_FILE)",
    !settings.providerId && "providerId (or TKE_PROVIDER_ID)",
    !settings.roleArn && "roleArn (or TKE_ROLE_ARN)",
    file && !canReadFiles && "token: this runtime has no files to read tokenFile from; pass the token, or a function that returns it",
  ].filter((problem): problem is string => typeof problem === "string");
  if (missing.length) throw new VclmValidationError("fromWebIdentity", [{ path: "", message: `needs ${missing.join("; ")}` }]);
  const readToken = async () => {
    if (typeof token === "function") return token();
    if (token !== undefined) return token;
    try {
      return (await readTextFile(file as string)).trim();
    } catch (error) {
      throw new VclmValidationError("fromWebIdentity", [
        { path: "tokenFile", message: `the token file ${file} cannot be read (${(error as { code?: string }).code ?? error})` },
      ]);
    }
  };
  const sts = stsClient({ endpoint, region: region ?? tke.TKE_REGION, fetch });
  // The request to STS is aborted with the refresh it serves.
  return cacheCredentials(async ({ signal }) => {
    const input = {
      ProviderId: settings.providerId as string,
      WebIdentityToken: await readToken(),
      RoleArn: settings.roleArn as string,
      RoleSessionName: roleSessionName ?? `vclm-${Date.now()}`,
      ...(durationSeconds !== undefined && { DurationSeconds: durationSeconds }),
    };
    const answer = await sts.send(AssumeRoleWithWebIdentity, input, { signal });
    return expiringFrom(answer, "STS", AssumeRoleWithWebIdentity.action);
  }, cache);
}
