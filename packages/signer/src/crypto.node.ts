import { createHmac, hash } from "node:crypto";
import type { SignerCrypto } from "./crypto.js";

const hmac = (key: string | Buffer, message: string): Buffer => createHmac("sha256", key).update(message).digest();

/** TC3 primitives on `node:crypto`: synchronous, so a signature costs no trips through the event loop. */
export const nodeCrypto: SignerCrypto<Buffer> = {
  // One-shot hashing; an ArrayBuffer needs a view, a Uint8Array is hashed in place (never copied).
  sha256Hex: (data) => hash("sha256", data instanceof ArrayBuffer ? new Uint8Array(data) : data, "hex"),
  signingKey: (secretKey, date, service) => hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request"),
  hmacHex: (key, message) => createHmac("sha256", key).update(message).digest("hex"),
};
