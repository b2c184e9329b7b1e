import type { Body } from "./types.js";

/**
 * The three primitives TC3-HMAC-SHA256 needs. Each runtime entry point supplies its own: Web
 * Crypto everywhere, `node:crypto` on Node, where it is synchronous and several times faster.
 */
export interface SignerCrypto<Key> {
  /** Lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). */
  sha256Hex(data: Body): string | Promise<string>;
  /** kSigning = HMAC(HMAC(HMAC("TC3" + secretKey, date), service), "tc3_request"), ready for {@link hmacHex}. */
  signingKey(secretKey: string, date: string, service: string): Key | Promise<Key>;
  /** Lower-case hex HMAC-SHA256 of `message` under a key from {@link signingKey}. */
  hmacHex(key: Key, message: string): string | Promise<string>;
}
