// Who is calling: a bearer token your site's backend signs for a signed-in user, verified here with
// Web Crypto (HMAC-SHA256 under AUTH_SECRET, which only the backend and this Worker hold). A token is
// base64url(JSON { sub, exp }) "." base64url(HMAC of that part). This is the app's own sign-in: a
// site with sessions of its own puts them in its place.
const utf8 = new TextEncoder();
const URL_SAFE: Record<string, string> = { "+": "-", "/": "_", "-": "+", _: "/", "=": "" };
const toBase64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (c) => URL_SAFE[c] ?? c);
const fromBase64url = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text.replace(/[-_]/g, (c) => URL_SAFE[c] ?? c)), (c) => c.charCodeAt(0));
const keyOf = (secret: string) =>
  crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

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
  const claims = toBase64url(utf8.encode(JSON.stringify({ sub: user, exp: Math.floor(expiresAt / 1000) })));
  const mac = await crypto.subtle.sign("HMAC", await keyOf(secret), utf8.encode(claims));
  return `${claims}.${toBase64url(new Uint8Array(mac))}`;
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
  if (!claims || !mac || !secret) return undefined;
  try {
    // crypto.subtle.verify compares in constant time; a mac that is not base64url throws, and is no token.
    if (!(await crypto.subtle.verify("HMAC", await keyOf(secret), fromBase64url(mac), utf8.encode(claims)))) return undefined;
    const { sub, exp } = JSON.parse(new TextDecoder().decode(fromBase64url(claims))) as { sub?: unknown; exp?: unknown };
    return typeof sub === "string" && typeof exp === "number" && exp * 1000 > now ? sub : undefined;
  } catch {
    return undefined;
  }
}
