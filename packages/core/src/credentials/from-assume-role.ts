import type { Credentials, CredentialsProvider } from "@vclm/signer";
import { AssumeRole } from "../sts/assume-role.js";
import { type StsOptions, stsClient } from "../sts/sts-client.js";
import { type CacheCredentialsOptions, cacheCredentials } from "./cache.js";
import { expiringFrom } from "./sts-credentials.js";

/**
 * Options for {@link fromAssumeRole}.
 *
 * @example
 * ```ts
 * const options: FromAssumeRoleOptions = {
 *   credentials: fromEnv(),
 *   roleArn: "qcs::cam::uin/100000000001:roleName/vclm-submitter",
 *   durationSeconds: 3600,
 * };
 * ```
 */
export interface FromAssumeRoleOptions extends CacheCredentialsOptions, StsOptions {
  /** The credentials that call STS: a key, or any provider (`fromEnv()`, `fromProfile()`, `fromCvmRole()`...). */
  readonly credentials: Credentials | CredentialsProvider;
  /** The role to assume: `qcs::cam::uin/<account>:roleName/<name>`. */
  readonly roleArn: string;
  /** Names the session in CAM's logs: 2 to 128 of `A-Z a-z 0-9 _ + = , . @ -`. @default "vclm-<time>" */
  readonly roleSessionName?: string | undefined;
  /** How long each set of credentials lasts, 1 to 43,200 seconds. @default 7200 (STS's default) */
  readonly durationSeconds?: number | undefined;
  /** A CAM policy (URL-encoded JSON) that narrows what the role may do in this session. @default none */
  readonly policy?: string | undefined;
}

/**
 * A role's temporary credentials, from STS `AssumeRole` called with other credentials: any
 * provider, in any runtime (Workers included). They are cached and refreshed ahead of expiry, once
 * however many calls wait. The options are checked at the first refresh, before anything is sent
 * (a `VclmValidationError` naming the field); STS's refusals arrive as `VclmServiceError`s.
 *
 * @example
 * ```ts
 * const client = new VclmClient({
 *   region: "ap-singapore",
 *   credentials: fromAssumeRole({ credentials: fromEnv(), roleArn: "qcs::cam::uin/100000000001:roleName/vclm-submitter" }),
 * });
 * ```
 */
export function fromAssumeRole(options: FromAssumeRoleOptions): CredentialsProvider {
  const { credentials, roleArn, roleSessionName, durationSeconds, policy, endpoint, region, fetch, ...cache } = options;
  const sts = stsClient({ endpoint, region, fetch }, credentials);
  // The request to STS is aborted with the refresh it serves.
  return cacheCredentials(async ({ signal }) => {
    const input = {
      RoleArn: roleArn,
      RoleSessionName: roleSessionName ?? `vclm-${Date.now()}`,
      ...(durationSeconds !== undefined && { DurationSeconds: durationSeconds }),
      ...(policy !== undefined && { Policy: policy }),
    };
    const answer = await sts.send(AssumeRole, input, { signal });
    return expiringFrom(answer, "STS", AssumeRole.action);
  }, cache);
}
