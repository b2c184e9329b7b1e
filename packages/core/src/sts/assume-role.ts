import * as v from "valibot";
import { defineOperation, type Operation } from "../operation.js";
import { STS } from "./api.js";
import { StsAnswer } from "./credentials.js";

// RoleSessionName: 2 to 128 of these characters, as CAM takes it.
const sessionName = v.pipe(v.string(), v.regex(/^[\w+=,.@-]{2,128}$/, "2 to 128 of the characters A-Z a-z 0-9 _ + = , . @ -"));
const roleArn = v.pipe(
  v.string(),
  v.regex(/^qcs::cam::uin\/\d+:(roleName|role)\/\S+$/, "a role ARN: qcs::cam::uin/<account>:roleName/<name>"),
);
/** What both AssumeRole actions take about the role and the session. */
export const role = {
  RoleArn: roleArn,
  RoleSessionName: sessionName,
  DurationSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(43200))),
};

/**
 * The schema of an AssumeRole call's input (valibot).
 *
 * @example
 * ```ts
 * const ok = v.safeParse(AssumeRoleInput, { RoleArn: "qcs::cam::uin/100000000001:roleName/vclm", RoleSessionName: "batch" }).success;
 * ```
 */
export const AssumeRoleInput = v.strictObject({ ...role, Policy: v.optional(v.string()) });

/**
 * STS `AssumeRole`: a role's temporary credentials, for a caller signed with its own credentials
 * (what `fromAssumeRole` sends). It answers {@link StsAnswer}.
 *
 * @example
 * ```ts
 * const sts = new VclmClient({ region: STS.region, endpoint: STS.endpoint });
 * const answer = await sts.send(AssumeRole, { RoleArn: "qcs::cam::uin/100000000001:roleName/vclm", RoleSessionName: "batch" });
 * ```
 */
export const AssumeRole: Operation<typeof AssumeRoleInput, typeof StsAnswer> = defineOperation({
  action: "AssumeRole",
  version: STS.version,
  service: STS.service,
  input: AssumeRoleInput,
  output: StsAnswer,
  idempotent: true,
});
