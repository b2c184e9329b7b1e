// Who is calling: a bearer token your site's backend signs for a signed-in user, verified here with
// Web Crypto (HMAC-SHA256 under AUTH_SECRET, which only the backend and this Worker hold). A token is
// base64url(JSON { sub, exp }) "." base64url(HMAC of that part).

const utf8 = new TextEncoder();
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const key = (secret: string, use: "sign" | "verify") =>
  crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [use]);

/** A token for `user`, valid until `expiresAt` (ms). Your backend makes these; tests do too. */
export async function signToken(user: string, expiresAt: number, secret: string): Promise<string> {
  const claims = base64url(utf8.encode(JSON.stringify({ sub: user, exp: Math.floor(expiresAt / 1000) })));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret, "sign"), utf8.encode(claims)));
  return `${claims}.${base64url(mac)}`;
}

/** The user an `Authorization: Bearer` header proves, or undefined: missing, malformed, forged or expired. */
export async function verifyToken(authorization: string | null, secret: string, now = Date.now()): Promise<string | undefined> {
  const [, claims, mac] = /^Bearer ([\w-]+)\.([\w-]+)$/.exec(authorization ?? "") ?? [];
  if (!claims || !mac || !secret) return undefined;
  try {
    // crypto.subtle.verify compares in constant time.
    if (!(await crypto.subtle.verify("HMAC", await key(secret, "verify"), fromBase64url(mac), utf8.encode(claims)))) return undefined;
    const { sub, exp } = JSON.parse(new TextDecoder().decode(fromBase64url(claims))) as { sub?: unknown; exp?: unknown };
    return typeof sub === "string" && typeof exp === "number" && exp * 1000 > now ? sub : undefined;
  } catch {
    return undefined;
  }
}
