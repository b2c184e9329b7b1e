import { VclmPhotoError } from "../errors/photo-error.js";

/**
 * A photo's format and pixel size, read from its header.
 *
 * @example
 * ```ts
 * declare const file: File; // what an <input type="file"> gave
 * const { format, width, height }: PhotoHeader = await checkPhoto(file);
 * ```
 */
export interface PhotoHeader {
  readonly format: "png" | "jpeg";
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = [0x49, 0x48, 0x44, 0x52];

const undecodable = (why: string) => new VclmPhotoError("FailedOperation.ImageDecodeFailed", `the photo ${why}`);
const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((byte, i) => bytes[at + i] === byte);
const u16 = (bytes: Uint8Array, at: number) => ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
const u32 = (bytes: Uint8Array, at: number) => u16(bytes, at) * 65_536 + u16(bytes, at + 2);

/**
 * Reads the format and dimensions from the first bytes of a PNG or JPEG. Returns `undefined` when
 * the bytes end before the dimensions (give it more); throws {@link VclmPhotoError}
 * (`FailedOperation.ImageDecodeFailed`) for anything that is not a well-formed PNG or JPEG header.
 * Never reads past the end of `bytes`.
 */
export function readPhotoHeader(bytes: Uint8Array): PhotoHeader | undefined {
  const { length } = bytes;
  if (startsWith(bytes, PNG_SIGNATURE.slice(0, length))) return length < PNG_SIGNATURE.length ? undefined : readPng(bytes);
  if (startsWith(bytes, JPEG_SOI.slice(0, length))) return length < JPEG_SOI.length ? undefined : readJpeg(bytes);
  throw undecodable("is neither a PNG nor a JPEG");
}

const JPEG_SOI = [0xff, 0xd8];

function readPng(bytes: Uint8Array): PhotoHeader | undefined {
  // Signature, then the IHDR chunk: length (4), type (4), width (4), height (4).
  if (bytes.length < 24) return undefined;
  if (!startsWith(bytes, IHDR, 12)) throw undecodable("is a PNG whose first chunk is not IHDR");
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  if (!width || !height) throw undecodable("is a PNG with a zero width or height");
  return { format: "png", width, height };
}

function readJpeg(bytes: Uint8Array): PhotoHeader | undefined {
  // Walk the marker segments after SOI (FF D8) to the first start-of-frame (SOFn).
  let at = 2;
  for (;;) {
    if (at >= bytes.length) return undefined;
    if (bytes[at] !== 0xff) throw undecodable("is a JPEG with a broken marker sequence");
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes
    if (at >= bytes.length) return undefined;
    const marker = bytes[at] as number;
    at++;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // standalone markers
    if (marker === 0xd9 || marker === 0xda) throw undecodable("is a JPEG without a frame header before its image data");
    if (at + 2 > bytes.length) return undefined;
    const length = u16(bytes, at);
    if (length < 2) throw undecodable("is a JPEG with a malformed segment length");
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // SOFn: length (2), precision (1), height (2), width (2).
      if (at + 7 > bytes.length) return undefined;
      const height = u16(bytes, at + 3);
      const width = u16(bytes, at + 5);
      if (!width || !height) throw undecodable("is a JPEG with a zero width or height");
      return { format: "jpeg", width, height };
    }
    at += length;
  }
}
