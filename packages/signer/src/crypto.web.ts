import type { SignerCrypto } from "./crypto.js";

const utf8 = new TextEncoder();

const hex = (buffer: ArrayBuffer): string => Array.from(new Uint8Array(buffer), (byte) => (byte | 256).toString(16).slice(1)).join("");
const importKey = (raw: BufferSource): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const hmac = async (key: BufferSource | CryptoKey, message: string): Promise<ArrayBuffer> =>
  crypto.subtle.sign("HMAC", key instanceof CryptoKey ? key : await importKey(key), utf8.encode(message));

/** TC3 primitives on Web Crypto: browsers, Workers, Deno, Bun and Node alike. */
export const webCrypto: SignerCrypto<CryptoKey> = {
  sha256Hex: async (data) =>
    hex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? utf8.encode(data) : (data as BufferSource))),
  signingKey: async (secretKey, date, service) =>
    importKey(await hmac(await hmac(await hmac(utf8.encode(`TC3${secretKey}`), date), service), "tc3_request")),
  hmacHex: async (key, message) => hex(await hmac(key, message)),
};
