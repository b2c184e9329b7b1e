import * as v from "valibot";
import { defineOperation, type Operation } from "../operation.js";
import { STS } from "./api.js";
import { StsAnswer } from "./credentials.js";

/**
 * The schema of a GetFederationToken call's input (valibot): `Policy` is a CAM policy, URL-encoded
 * JSON; `DurationSeconds` 1 to 7200 (129,600 for a sub-account), 1800 when absent.
 *
 * @example
 * ```ts
 * const ok = v.safeParse(GetFederationTokenInput, { Name: "vclm-web", Policy: vclmPolicy() }).success;
 * ```
 */
export const GetFederationTokenInput = v.strictObject({ Name: v.string(), Policy: v.string(), DurationSeconds: v.optional(v.number()) });

/**
 * STS `GetFederationToken` as an operation: temporary credentials under a policy, from a permanent
 * key. Send it with a `VclmClient` whose endpoint is STS; it answers {@link StsAnswer}.
 *
 * @example
 * ```ts
 * const sts = new VclmClient({ region: "ap-singapore", endpoint: STS.intlEndpoint });
 * const answer = await sts.send(GetFederationToken, { Name: "vclm-web", Policy: vclmPolicy() });
 * ```
 */
export const GetFederationToken: Operation<typeof GetFederationTokenInput, typeof StsAnswer> = defineOperation({
  action: "GetFederationToken",
  version: STS.version,
  service: STS.service,
  input: GetFederationTokenInput,
  output: StsAnswer,
  idempotent: true,
});
