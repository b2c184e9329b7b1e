// Reads a photo's format and pixel size from its first bytes, as the service must before it
// decodes anything. The emulator's own reader, written from the PNG (ISO/IEC 15948, IHDR) and
// JPEG (ITU-T T.81, B.1.1) specifications.

/** What a photo's header says: its format and size, or why it cannot be read. */
export type PhotoHeader =
  | { readonly format: "png" | "jpeg"; readonly width: number; readonly height: number }
  | { readonly unreadable: string; readonly truncated: boolean };

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const JPEG_SOI = Uint8Array.of(0xff, 0xd8);

// Truncated: the bytes end before the size (a whole file would have shown it); otherwise the
// header itself is wrong, and no more bytes would help.
const unreadable = (why: string, truncated = false): PhotoHeader => ({ unreadable: why, truncated });

/** The format and size of a PNG or JPEG, read from its header; never reads past the end of `bytes`. */
export function readPhotoHeader(bytes: Uint8Array): PhotoHeader {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Bytes that end inside a format's signature may still be that format: only cut short.
  const startsWith = (signature: Uint8Array) =>
    bytes.length > 0 && signature.subarray(0, bytes.length).every((byte, i) => bytes[i] === byte);
  for (const [signature, read] of [
    [JPEG_SOI, jpegHeader],
    [PNG_SIGNATURE, pngHeader],
  ] as const)
    if (startsWith(signature))
      return bytes.length < signature.length ? unreadable("the photo ends inside its signature", true) : read(data);
  return unreadable("the photo is neither a PNG nor a JPEG");
}

// After the 8-byte signature, the first chunk must be IHDR: length, "IHDR", width, height (big-endian).
function pngHeader(data: DataView): PhotoHeader {
  if (data.byteLength < 24) return unreadable("the PNG ends before its IHDR chunk", true);
  if (data.getUint32(12) !== 0x49484452) return unreadable("the PNG's first chunk is not IHDR");
  const width = data.getUint32(16);
  const height = data.getUint32(20);
  if (width === 0 || height === 0) return unreadable("the PNG has a zero width or height");
  return { format: "png", width, height };
}

// Start-of-frame markers carry the size: C0-CF except C4 (DHT), C8 (reserved) and CC (DAC).
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers without a length: TEM (01) and the restart markers RST0-RST7 (D0-D7).
const standsAlone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

// Segments after SOI (FF D8): FF, any FF fill bytes, the marker, then (for most) a 16-bit length
// that counts itself. The size is in the first start-of-frame: precision (1), height (2), width (2).
function jpegHeader(data: DataView): PhotoHeader {
  let offset = 2;
  while (offset < data.byteLength) {
    if (data.getUint8(offset) !== 0xff) return unreadable("the JPEG's segments are broken");
    while (offset < data.byteLength && data.getUint8(offset) === 0xff) offset++;
    if (offset >= data.byteLength) break;
    const marker = data.getUint8(offset++);
    if (standsAlone(marker)) continue;
    if (marker === 0xd9 || marker === 0xda) return unreadable("the JPEG has no frame header before its image data");
    if (offset + 2 > data.byteLength) break;
    const length = data.getUint16(offset);
    if (length < 2) return unreadable("the JPEG has a segment of impossible length");
    if (isStartOfFrame(marker)) {
      if (offset + 7 > data.byteLength) break;
      const height = data.getUint16(offset + 3);
      const width = data.getUint16(offset + 5);
      if (width === 0 || height === 0) return unreadable("the JPEG has a zero width or height");
      return { format: "jpeg", width, height };
    }
    offset += length;
  }
  return unreadable("the JPEG ends before its frame header", true);
}
