// Photo files for tests, made here so every size and shape is at hand: a real PNG (zlib-compressed
// grey pixels, valid CRCs), and a JPEG whose header segments (optionally a large EXIF block before
// the frame header) are those of a real file; its scan data is a token, which header readers never reach.
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid greyscale PNG of the given size: flat grey, or with `pattern`, checkered in shades that
 * depend on it (0..255 give photos whose pixels, and so whose emulator videos, all differ).
 */
export function makePng(width: number, height: number, { pattern }: { pattern?: number } = {}): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, no interlace
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter byte per row
    if (pattern !== undefined)
      for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (pattern * 37 + ((x >> 4) ^ (y >> 4)) * 11) & 0xff;
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]));
}

const segment = (marker: number, payload: Uint8Array) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** A JPEG header (SOI, APP0, optional EXIF of `exifBytes`, DQT, SOF0) of the given size, then a token scan and EOI. */
export function makeJpeg(width: number, height: number, { exifBytes = 0, progressive = false } = {}): Uint8Array {
  const sof = Buffer.alloc(15);
  sof.writeUInt8(8, 0);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof.set([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 5);
  const parts = [
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", "latin1")),
    ...(exifBytes ? [segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), Buffer.alloc(exifBytes)]))] : []),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(progressive ? 0xc2 : 0xc0, sof),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ];
  return new Uint8Array(Buffer.concat(parts));
}

/** Pads a photo to `bytes` with trailing zeros (readers stop at the header; the size check sees the length). */
export const padTo = (photo: Uint8Array, bytes: number): Uint8Array => {
  const padded = new Uint8Array(bytes);
  padded.set(photo);
  return padded;
};
