// Who is calling: a bearer token your site's backend signs for a signed-in user, verified here with
// Web Crypto (HMAC-SHA256 under AUTH_SECRET, which only the backend and this Worker hold). A token is
// base64url(JSON { sub, exp }) "." base64url(HMAC of that part).
import { base64url, fromBase64url, hmac, hmacMatches } from "./hmac.js";

/** A token for `user`, valid until `expiresAt` (ms). Your backend makes these; tests do too. */
export async function signToken(user: string, expiresAt: number, secret: string): Promise<string> {
  const claims = base64url(new TextEncoder().encode(JSON.stringify({ sub: user, exp: Math.floor(expiresAt / 1000) })));
  return `${claims}.${await hmac(claims, secret)}`;
}

/** The user an `Authorization: Bearer` header proves, or undefined: missing, malformed, forged or expired. */
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
