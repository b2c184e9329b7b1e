import * as v from "valibot";
import { defineOperation, type Operation } from "../operation.js";
import { STS } from "./api.js";
import { role } from "./assume-role.js";
import { StsAnswer } from "./credentials.js";

/**
 * The schema of an AssumeRoleWithWebIdentity call's input (valibot).
 *
 * @example
 * ```ts
 * const formValues: unknown = { ProviderId: "ci-oidc", WebIdentityToken: "eyJ...", RoleArn: "qcs::cam::uin/100000000001:roleName/vclm-ci", RoleSessionName: "ci" };
 * const ok = v.safeParse(AssumeRoleWithWebIdentityInput, formValues).success;
 * ```
 */
export const AssumeRoleWithWebIdentityInput = v.strictObject({
  ProviderId: v.pipe(v.string(), v.minLength(1, "the identity provider's id")),
  WebIdentityToken: v.pipe(v.string(), v.minLength(1, "a token")),
  ...role,
});

/**
 * STS `AssumeRoleWithWebIdentity`: a role's temporary credentials for an OpenID Connect token, sent
 * unsigned (`Authorization: SKIP`): what `fromWebIdentity` sends. It answers {@link StsAnswer}.
 *
 * @example
 * ```ts
 * const credentials = fromWebIdentity(); // sends AssumeRoleWithWebIdentity with TKE's token file, unsigned
 * console.log(AssumeRoleWithWebIdentity.action, AssumeRoleWithWebIdentity.version);
 * ```
 */
export const AssumeRoleWithWebIdentity: Operation<typeof AssumeRoleWithWebIdentityInput, typeof StsAnswer> = defineOperation({
  action: "AssumeRoleWithWebIdentity",
  version: STS.version,
  service: STS.service,
  input: AssumeRoleWithWebIdentityInput,
  output: StsAnswer,
  idempotent: true,
});
