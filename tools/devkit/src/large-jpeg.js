// A large, valid JPEG for benchmarks, made the same way in every runtime (web APIs only): a real
// header (SOI, APP0, DQT, SOF0 at the given size, SOS), then pseudo-random scan bytes with no 0xFF
// (so no marker appears inside), then EOI. Header readers accept it as the service would.

/** A JPEG of exactly `totalBytes` bytes, `width` x `height` (portrait by default), the same bytes on every call. */
export function largeJpeg(totalBytes = 10_000_000, width = 1200, height = 2000) {
  // A marker segment: 0xFF, the marker, the payload's length (itself included), the payload.
  const segment = (marker, payload) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  const jfif = [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const quantization = [0, ...new Array(64).fill(1)];
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const scan = [1, 1, 0, 0, 0x3f, 0];
  const header = [0xff, 0xd8, ...segment(0xe0, jfif), ...segment(0xdb, quantization), ...segment(0xc0, frame), ...segment(0xda, scan)];
  const bytes = new Uint8Array(totalBytes);
  bytes.set(header);
  let state = 0x9e3779b9;
  for (let i = header.length; i < totalBytes - 2; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = (state >>> 0) % 255; // 0..254: never 0xFF
  }
  bytes[totalBytes - 2] = 0xff;
  bytes[totalBytes - 1] = 0xd9;
  return bytes;
}
