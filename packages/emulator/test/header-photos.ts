// The first bytes of photos, made by hand for the emulator's own photo checks: a PNG's signature
// and IHDR chunk, or a JPEG's SOI, an optional APP1 (EXIF) segment, and a frame header. Header
// readers stop there; `size` pads the file with zeros so the size check sees the length asked for.

/** `header`, then zeros up to `size` bytes in all. */
function padded(header: Uint8Array, size = header.length): Uint8Array {
  const out = new Uint8Array(size);
  out.set(header);
  return out;
}

/** A PNG header (signature, IHDR of 8-bit greyscale) of `width`×`height`, `size` bytes long in all if given. */
export function pngHeader(width: number, height: number, { size }: { size?: number } = {}): Uint8Array {
  const bytes = new Uint8Array(8 + 4 + 4 + 13 + 4);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 13);
  view.setUint32(12, 0x49484452); // "IHDR"
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint8(24, 8); // bit depth; colour type 0 (grey) and the rest stay 0
  return padded(bytes, size);
}

/** A JPEG header of `width`×`height`: SOI, an APP1 of `exifBytes` if any, then a start of frame (`frameMarker`, SOF0 unless told). */
export function jpegHeader(
  width: number,
  height: number,
  { size, exifBytes = 0, frameMarker = 0xc0 }: { size?: number; exifBytes?: number; frameMarker?: number } = {},
): Uint8Array {
  const app1 = exifBytes ? 4 + exifBytes : 0;
  const bytes = new Uint8Array(2 + app1 + 10);
  const view = new DataView(bytes.buffer);
  bytes.set([0xff, 0xd8]);
  if (app1) {
    bytes.set([0xff, 0xe1], 2);
    view.setUint16(4, exifBytes + 2);
  }
  const sof = 2 + app1;
  bytes.set([0xff, frameMarker], sof);
  view.setUint16(sof + 2, 8); // length: itself, precision, height, width, component count
  view.setUint8(sof + 4, 8);
  view.setUint16(sof + 5, height);
  view.setUint16(sof + 7, width);
  return padded(bytes, size);
}
