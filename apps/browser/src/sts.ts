// STS GetFederationToken as an operation: data, not a code path (a few lines, as @vclm/core promises).
import { defineOperation } from "@vclm/core";
import * as v from "valibot";

export const GetFederationToken = defineOperation({
  action: "GetFederationToken",
  version: "2018-08-13",
  service: "sts",
  input: v.strictObject({ Name: v.string(), Policy: v.string(), DurationSeconds: v.optional(v.number()) }),
  output: v.object({
    Credentials: v.object({ Token: v.string(), TmpSecretId: v.string(), TmpSecretKey: v.string() }),
    ExpiredTime: v.number(),
    Expiration: v.string(),
    RequestId: v.string(),
  }),
  idempotent: true,
});

/** A policy that allows the two VCLM actions and nothing else. */
export const VCLM_ONLY_POLICY: string = encodeURIComponent(
  JSON.stringify({
    version: "2.0",
    statement: [{ effect: "allow", action: ["vclm:SubmitImageAnimateJob", "vclm:DescribeImageAnimateJob"], resource: "*" }],
  }),
);
