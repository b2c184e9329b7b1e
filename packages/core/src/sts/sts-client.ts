import type { Credentials, CredentialsProvider } from "@vclm/signer";
import { VclmClient } from "../client.js";
import type { Middleware } from "../pipeline/stack.js";
import { STS } from "./api.js";

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
 * const intl: StsOptions = { endpoint: STS.intlEndpoint, region: "ap-singapore" };
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
