import { fail, HEADER_VALUE } from "./fail.js";
import type { Credentials, CredentialsProvider } from "./types.js";

// Printable ASCII without "," and "/", which would break the Authorization header.
const SECRET_ID = /^[!-+\-.0-~]+$/;

/** Resolves a provider and checks what it gave; never puts a secret in the error. */
export async function resolveCredentials(source: Credentials | CredentialsProvider): Promise<Credentials> {
  const credentials = typeof source === "function" ? await source() : source;
  const { secretId, secretKey, token } = credentials ?? fail("credentials", "are missing");
  if (typeof secretId !== "string" || !SECRET_ID.test(secretId))
    fail("credentials.secretId", "must be printable ASCII without spaces, ',' or '/'");
  if (typeof secretKey !== "string" || !secretKey) fail("credentials.secretKey", "must be a non-empty string");
  if (token != null && (typeof token !== "string" || !HEADER_VALUE.test(token))) fail("credentials.token", "must be free of line breaks");
  return credentials;
}
