import type * as v from "valibot";
import { VclmResponseError } from "../errors/response-error.js";
import type { StsCredentials } from "../sts/credentials.js";
import type { ExpiringCredentials } from "./cache.js";

// STS credentials last at most 36 hours; a week leaves room for any endpoint and still catches an
// ExpiredTime in milliseconds (tens of thousands of years ahead).
const MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

/**
 * STS-shaped credentials as {@link ExpiringCredentials}, once their `ExpiredTime` is plausible (unix
 * seconds, ahead, within a week). `source` names where they came from, for the error.
 */
export function expiringFrom(
  { Credentials, ExpiredTime }: v.InferOutput<typeof StsCredentials>,
  source: string,
  action: string,
): ExpiringCredentials {
  const left = ExpiredTime - Date.now() / 1000;
  if (!(left > 0 && left <= MAX_LIFETIME_SECONDS))
    throw new VclmResponseError(
      `${source} answered an implausible ExpiredTime ${ExpiredTime} (${
        left <= 0 ? "already past" : "too far ahead: it must be unix seconds, not milliseconds, within 7 days"
      })`,
      { action, status: 200, body: "" },
    );
  return {
    secretId: Credentials.TmpSecretId,
    secretKey: Credentials.TmpSecretKey,
    token: Credentials.Token,
    expiresAt: new Date(ExpiredTime * 1000),
  };
}
