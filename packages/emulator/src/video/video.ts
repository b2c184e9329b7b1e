import { decodeBase64 } from "../wire/base64.js";
import { VIDEO_BASE64 } from "./video-data.js";

/**
 * A video with its entity tag, made together: the digest is computed once per video and kept
 * wherever the bytes are kept, so every answer for the same bytes carries the same ETag.
 */
export interface Video {
  readonly bytes: Uint8Array;
  /** Strong and quoted, as COS sends it: `"<16 hex digits>"`. */
  readonly etag: string;
}

let sample: Video | undefined;

/** The sample video (decoded and digested once). */
export function sampleVideo(): Video {
  sample ??= videoOf(decodeBase64(VIDEO_BASE64) as Uint8Array);
  return sample;
}

/** A video of these bytes, with their ETag. */
export function videoOf(bytes: Uint8Array): Video {
  return { bytes, etag: `"${fnv1a64(bytes)}"` };
}

// COS's ETag is the MD5 of an object uploaded whole; any digest of the bytes gives a client the
// same guarantee (the same tag, the same bytes), and FNV-1a is synchronous, needs no dependency and
// is cheap (about 12 ms for a 2.2 MB video, once per video, next to the ~85 ms of making it).
// 64 bits, kept as two 32-bit halves: h * (2^40 + 0x1b3) mod 2^64.
export function fnv1a64(bytes: Uint8Array): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ (bytes[i] as number)) >>> 0; // ^ gives a signed 32-bit number; the product below needs it unsigned
    const low = lo * 0x1b3; // below 2^41: exact in a double
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + Math.floor(low / 0x1_0000_0000)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}
