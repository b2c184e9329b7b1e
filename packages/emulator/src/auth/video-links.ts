// Signed, expiring video links, as COS presigned URLs are: the link DescribeImageAnimateJob gives
// is the only way to a video, and only until it expires. Web Crypto's HMAC, as the signature check
// uses: the same code in Node, Deno, Workers and browsers.

const utf8 = new TextEncoder();
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const KEY = /^[0-9a-f]{64}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** A fresh key: 32 random bytes as hex. */
const randomKey = () => hex(crypto.getRandomValues(new Uint8Array(32)));

const bytesOf = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

// COS answers a refused download with a small XML error; so does the emulator, and nothing more.
const denied = (code: string, message: string, cors: Record<string, string>): Response =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`, {
    status: 403,
    headers: { "Content-Type": "application/xml", ...cors },
  });

/**
 * The emulator's video links: `<path>?expires=<unix s>&signature=<hex>`, the signature an
 * HMAC-SHA256 of the path and the expiry under a key only this emulator holds (random, kept in its
 * state, so links outlive a restart with a data directory). The host is not signed: a link works
 * through whatever address reaches the emulator (a proxy, `publicUrl`), as long as its path and
 * expiry are the ones signed.
 */
export class VideoLinks {
  #key: string | undefined;
  #hmacKey: Promise<CryptoKey> | undefined;

  /** With the key of a saved state, or none: a new one is made at first use. */
  constructor(key?: string) {
    // Never the value in the message: it is a secret.
    if (key !== undefined && !KEY.test(key))
      throw new TypeError("the video link key (videoKey in the saved state) must be 64 lower-case hex digits");
    this.#key = key;
  }

  /**
   * The key, 64 hex digits: persisted with the state, never shown. Made at first use, not at
   * construction: a Worker may not draw random numbers at startup, where `createEmulator` runs.
   */
  get key(): string {
    this.#key ??= randomKey();
    return this.#key;
  }

  #hmac(): Promise<CryptoKey> {
    this.#hmacKey ??= crypto.subtle.importKey("raw", bytesOf(this.key), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return this.#hmacKey;
  }

  /** The query of the link to `path` (e.g. `/videos/1.mp4`), valid until `expires` (unix seconds). */
  async query(path: string, expires: number): Promise<string> {
    const signature = await crypto.subtle.sign("HMAC", await this.#hmac(), utf8.encode(`${path}\n${expires}`));
    return `expires=${expires}&signature=${hex(new Uint8Array(signature))}`;
  }

  /**
   * Whether `url` is a link this emulator signed, unexpired at `now` (ms): undefined if so, or the
   * 403 to answer. A link with no signature, a changed path or expiry, or a past expiry is refused.
   */
  async refusal(url: URL, now: number, cors: Record<string, string>): Promise<Response | undefined> {
    const expires = url.searchParams.get("expires") ?? "";
    const signature = url.searchParams.get("signature") ?? "";
    if (!/^\d{1,12}$/.test(expires) || !SIGNATURE.test(signature))
      return denied(
        "AccessDenied",
        "Access Denied: a video link needs its expires and signature, as DescribeImageAnimateJob gives it.",
        cors,
      );
    // verify() compares in constant time: no timing tells how much of a guessed signature is right.
    const data = utf8.encode(`${url.pathname}\n${expires}`);
    if (!(await crypto.subtle.verify("HMAC", await this.#hmac(), bytesOf(signature), data)))
      return denied("SignatureDoesNotMatch", "The signature of this video link does not match its path and expiry.", cors);
    if (now > Number(expires) * 1000) return denied("AccessDenied", "Request has expired", cors);
    return undefined;
  }
}
