// Who is calling: a bearer token your site's backend signs for a signed-in user, verified here with
// Web Crypto (HMAC-SHA256 under AUTH_SECRET, which only the backend and this Worker hold). A token is
// base64url(JSON { sub, exp }) "." base64url(HMAC of that part).
import { base64url, fromBase64url, hmac, hmacMatches } from "./hmac.js";

/**
 * A bearer token for `user`, valid until `expiresAt` (ms): base64url(JSON { sub, exp }) "." the
 * HMAC-SHA256 of that part under `secret`. Your site's backend makes these for signed-in users.
 *
 * @example
 * ```ts
 * const token = await signToken("alice", Date.now() + 3_600_000, "AUTH_SECRET's value");
 * const headers = { Authorization: `Bearer ${token}` }; // on each call to the Worker
 * ```
 */
export async function signToken(user: string, expiresAt: number, secret: string): Promise<string> {
  const claims = base64url(new TextEncoder().encode(JSON.stringify({ sub: user, exp: Math.floor(expiresAt / 1000) })));
  return `${claims}.${await hmac(claims, secret)}`;
}

/**
 * The user an `Authorization: Bearer` header proves, or undefined: missing, malformed, forged or
 * expired (checked with Web Crypto, in constant time).
 *
 * @example
 * ```ts
 * declare const request: Request;
 * const user = await verifyToken(request.headers.get("authorization"), "AUTH_SECRET's value");
 * if (!user) console.log("401: sign in first");
 * ```
 */
export async function verifyToken(authorization: string | null, secret: string, now = Date.now()): Promise<string | undefined> {
  const [, claims, mac] = /^Bearer ([\w-]+)\.([\w-]+)$/.exec(authorization ?? "") ?? [];
  if (!claims || !mac || !secret || !(await hmacMatches(claims, mac, secret))) return undefined;
  try {
    const { sub, exp } = JSON.parse(new TextDecoder().decode(fromBase64url(claims))) as { sub?: unknown; exp?: unknown };
    return typeof sub === "string" && typeof exp === "number" && exp * 1000 > now ? sub : undefined;
  } catch {
    return undefined;
  }
}
