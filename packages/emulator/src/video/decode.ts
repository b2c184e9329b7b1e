import { decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";

/** A decoded photo: 8-bit RGBA, row after row. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** PNG (any colour type and depth) or JPEG to RGBA, with well-kept decoders (fast-png, jpeg-js). Throws on a photo they cannot read. */
export function decodePhoto(bytes: Uint8Array): Rgba {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { width, height, data };
  }
  const png = decodePng(bytes);
  const { width, height, channels } = png;
  const count = width * height;
  const data = new Uint8Array(count * 4);
  const source = png.data;
  const shift = png.depth === 16 ? 8 : 0;
  const palette = png.palette;
  for (let i = 0; i < count; i++) {
    let r: number;
    let g: number;
    let b: number;
    let a = 255;
    if (palette) {
      const entry = palette[source[i] as number] ?? [0, 0, 0];
      [r, g, b] = entry as [number, number, number];
      a = (entry as number[])[3] ?? 255;
    } else if (channels <= 2) {
      r = g = b = (source[i * channels] as number) >> shift;
      if (channels === 2) a = (source[i * 2 + 1] as number) >> shift;
    } else {
      r = (source[i * channels] as number) >> shift;
      g = (source[i * channels + 1] as number) >> shift;
      b = (source[i * channels + 2] as number) >> shift;
      if (channels === 4) a = (source[i * 4 + 3] as number) >> shift;
    }
    data.set([r, g, b, a], i * 4);
  }
  return { width, height, data };
}
