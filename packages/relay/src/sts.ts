import { defineOperation, type Operation, VCLM_API } from "@vclm/core";
import * as v from "valibot";

/**
 * The schema of a GetFederationToken call's input (valibot).
 *
 * @example
 * ```ts
 * const ok = v.safeParse(GetFederationTokenInput, { Name: "vclm-web", Policy: vclmPolicy() }).success;
 * ```
 */
export const GetFederationTokenInput = v.strictObject({ Name: v.string(), Policy: v.string(), DurationSeconds: v.optional(v.number()) });

/**
 * The schema of a GetFederationToken answer's `Response` (valibot).
 *
 * @example
 * ```ts
 * type Answer = v.InferOutput<typeof GetFederationTokenOutput>;
 * ```
 */
export const GetFederationTokenOutput = v.object({
  Credentials: v.object({ Token: v.string(), TmpSecretId: v.string(), TmpSecretKey: v.string() }),
  ExpiredTime: v.number(),
  Expiration: v.string(),
  RequestId: v.string(),
});

/**
 * STS `GetFederationToken` as an operation: temporary credentials under a policy, from a permanent
 * key. Send it with a `VclmClient` whose endpoint is STS (`https://sts.intl.tencentcloudapi.com/`).
 *
 * @example
 * ```ts
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: "https://sts.intl.tencentcloudapi.com/" });
 * const answer = await sts.send(GetFederationToken, { Name: "vclm-web", Policy: vclmPolicy() });
 * ```
 */
export const GetFederationToken: Operation<typeof GetFederationTokenInput, typeof GetFederationTokenOutput> = defineOperation({
  action: "GetFederationToken",
  version: "2018-08-13",
  service: "sts",
  input: GetFederationTokenInput,
  output: GetFederationTokenOutput,
  idempotent: true,
});

/**
 * A CAM policy (URL-encoded JSON, as GetFederationToken takes it) that allows the VCLM actions and
 * nothing else; with `ip`, only from those addresses or CIDR ranges (`qcs:ip`), so credentials
 * taken elsewhere are useless.
 *
 * @example
 * ```ts
 * const Policy = vclmPolicy({ ip: "203.0.113.7/32" }); // the relay's outbound address
 * ```
 */
export function vclmPolicy({
  actions = VCLM_API.actions,
  ip,
}: {
  actions?: readonly string[];
  ip?: string | readonly string[] | undefined;
} = {}): string {
  const ranges = ip === undefined ? [] : typeof ip === "string" ? [ip] : [...ip];
  const statement = {
    effect: "allow",
    action: actions.map((action) => `${VCLM_API.service}:${action}`),
    resource: "*",
    ...(ranges.length > 0 && { condition: { ip_equal: { "qcs:ip": ranges } } }),
  };
  return encodeURIComponent(JSON.stringify({ version: "2.0", statement: [statement] }));
}
