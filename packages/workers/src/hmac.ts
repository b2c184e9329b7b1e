// HMAC-SHA256 under a Worker secret, with Web Crypto: what photo links are signed with.
const utf8 = new TextEncoder();

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromBase64url = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const key = (secret: string, use: "sign" | "verify") =>
  crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [use]);

/** base64url of the HMAC of `message`. */
export async function hmac(message: string, secret: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret, "sign"), utf8.encode(message))));
}

/** Whether `mac` is the HMAC of `message` (crypto.subtle.verify compares in constant time). */
export async function hmacMatches(message: string, mac: string, secret: string): Promise<boolean> {
  try {
    return await crypto.subtle.verify("HMAC", await key(secret, "verify"), fromBase64url(mac), utf8.encode(message));
  } catch {
    return false;
  }
}
