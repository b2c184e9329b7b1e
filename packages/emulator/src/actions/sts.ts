import type { Caller, TemporaryCredential } from "../accounts.js";
import { type PolicyStatement, parsePolicy } from "../auth/policy.js";
import { type Answer, serviceError } from "../wire/envelope.js";
import { checkFields, missing } from "./params.js";

/** What the STS actions need from the emulator. */
export interface StsContext {
  readonly now: number;
  issue(credential: Omit<TemporaryCredential, "secretId" | "secretKey" | "token">): TemporaryCredential;
}

function issue(
  params: Record<string, unknown>,
  caller: Caller,
  context: StsContext,
  defaults: { duration: number; max: number; policyRequired: boolean; action: string },
): Answer {
  const { DurationSeconds = defaults.duration, Policy } = params as { DurationSeconds?: number; Policy?: string };
  if (defaults.policyRequired && Policy === undefined) return missing("Policy");
  if (DurationSeconds < 1 || DurationSeconds > defaults.max)
    return serviceError("InvalidParameterValue", `DurationSeconds must be between 1 and ${defaults.max}.`);
  if (caller.temporary)
    return serviceError("AuthFailure.UnauthorizedOperation", "Temporary credentials cannot issue temporary credentials.");
  const policy = Policy === undefined ? undefined : parsePolicy(Policy);
  if (policy && !Array.isArray(policy)) return policy as Answer;
  const expiresAt = context.now + DurationSeconds * 1000;
  const credential = context.issue({
    accountId: caller.accountId,
    expiresAt,
    policy: policy as readonly PolicyStatement[] | undefined,
    issuedBy: defaults.action,
  });
  return {
    output: {
      Credentials: { Token: credential.token, TmpSecretId: credential.secretId, TmpSecretKey: credential.secretKey },
      ExpiredTime: Math.floor(expiresAt / 1000),
      Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
  };
}

export function getFederationToken(params: Record<string, unknown>, caller: Caller, context: StsContext): Answer {
  const problem = checkFields(params, { Name: { kind: "string" }, Policy: { kind: "string" }, DurationSeconds: { kind: "integer" } });
  if (problem) return problem;
  if (params.Name === undefined) return missing("Name");
  return issue(params, caller, context, { duration: 1800, max: 7200, policyRequired: true, action: "GetFederationToken" });
}

export function assumeRole(params: Record<string, unknown>, caller: Caller, context: StsContext): Answer {
  const problem = checkFields(params, {
    RoleArn: { kind: "string" },
    RoleSessionName: { kind: "string" },
    DurationSeconds: { kind: "integer" },
    Policy: { kind: "string" },
  });
  if (problem) return problem;
  if (params.RoleArn === undefined) return missing("RoleArn");
  if (params.RoleSessionName === undefined) return missing("RoleSessionName");
  return issue(params, caller, context, { duration: 7200, max: 43200, policyRequired: false, action: "AssumeRole" });
}
