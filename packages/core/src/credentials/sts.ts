import type { Credentials, CredentialsProvider } from "@vclm/signer";
import * as v from "valibot";
import { VclmClient } from "../client.js";
import { defineOperation } from "../operation.js";
import type { Middleware } from "../pipeline/stack.js";
import { StsCredentials } from "./sts-credentials.js";

/** STS, where temporary credentials come from: its global endpoint, the region the official SDK names, its API version. */
export const STS = { endpoint: "https://sts.tencentcloudapi.com/", region: "ap-guangzhou", version: "2018-08-13" } as const;

const output = v.object({ ...StsCredentials.entries, Expiration: v.optional(v.string()), RequestId: v.string() });
// RoleSessionName: 2 to 128 of these characters, as CAM takes it.
const sessionName = v.pipe(v.string(), v.regex(/^[\w+=,.@-]{2,128}$/, "2 to 128 of the characters A-Z a-z 0-9 _ + = , . @ -"));
const roleArn = v.pipe(
  v.string(),
  v.regex(/^qcs::cam::uin\/\d+:(roleName|role)\/\S+$/, "a role ARN: qcs::cam::uin/<account>:roleName/<name>"),
);
// What both AssumeRole actions take about the role and the session.
const role = {
  RoleArn: roleArn,
  RoleSessionName: sessionName,
  DurationSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(43200))),
};

/** STS `AssumeRole`: a role's temporary credentials, for a caller signed with its own credentials. */
export const AssumeRole = defineOperation({
  action: "AssumeRole",
  version: STS.version,
  service: "sts",
  input: v.strictObject({ ...role, Policy: v.optional(v.string()) }),
  output,
  idempotent: true,
});

/** STS `AssumeRoleWithWebIdentity`: a role's temporary credentials for an OpenID Connect token; sent unsigned. */
export const AssumeRoleWithWebIdentity = defineOperation({
  action: "AssumeRoleWithWebIdentity",
  version: STS.version,
  service: "sts",
  input: v.strictObject({
    ProviderId: v.pipe(v.string(), v.minLength(1, "the identity provider's id")),
    WebIdentityToken: v.pipe(v.string(), v.minLength(1, "a token")),
    ...role,
  }),
  output,
  idempotent: true,
});

// What the official SDKs send for an unsigned call: the headers of a signed one, Authorization SKIP.
const skipSignature: Middleware = async (context, next) => {
  context.request.headers["X-TC-Timestamp"] = String(Math.floor(Date.now() / 1000) + context.client.clockOffset);
  context.request.headers.Authorization = "SKIP";
  await next();
};

/**
 * Where and how to reach STS.
 *
 * @example
 * ```ts
 * const intl: StsOptions = { endpoint: "https://sts.intl.tencentcloudapi.com/", region: "ap-singapore" };
 * ```
 */
export interface StsOptions {
  /** STS's endpoint. @default "https://sts.tencentcloudapi.com/" */
  readonly endpoint?: string | undefined;
  /** The region sent to STS (`X-TC-Region`). @default "ap-guangzhou" */
  readonly region?: string | undefined;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
}

/** A client for STS, signing with `credentials`, or sending unsigned when there are none. */
export function stsClient(options: StsOptions, credentials?: Credentials | CredentialsProvider): VclmClient {
  const client = new VclmClient({
    region: options.region ?? STS.region,
    endpoint: options.endpoint ?? STS.endpoint,
    credentials: credentials ?? { secretId: "", secretKey: "" },
    ...(options.fetch && { fetch: options.fetch }),
  });
  if (!credentials) client.middleware.replace("signRequest", skipSignature);
  return client;
}
