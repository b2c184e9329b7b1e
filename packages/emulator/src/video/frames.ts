import { MAX_ZOOM, type Pose } from "./dances.js";
import type { Rgba } from "./decode.js";
import type { Yuv420 } from "./h264.js";

/** The video's size: a portrait frame the photo covers (the service's photos are 1.2 to 2 times taller than wide). */
export const WIDTH = 192;
export const HEIGHT = 320;

/**
 * The photo, scaled down (averaging the pixels each one covers) so that it covers a frame at the
 * largest zoom: what the emulator keeps of a photo for its video (about 200 KB), on a white
 * background where it is transparent.
 */
export function keepForVideo({ width, height, data }: Rgba): Rgba {
  const scale = Math.min(1, Math.max(WIDTH / width, HEIGHT / height) * MAX_ZOOM);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++)
        for (let sx = x0; sx < x1; sx++) {
          const at = (sy * width + sx) * 4;
          const alpha = (data[at + 3] as number) / 255;
          r += (data[at] as number) * alpha + 255 * (1 - alpha);
          g += (data[at + 1] as number) * alpha + 255 * (1 - alpha);
          b += (data[at + 2] as number) * alpha + 255 * (1 - alpha);
        }
      const n = (y1 - y0) * (x1 - x0);
      out.set([Math.round(r / n), Math.round(g / n), Math.round(b / n), 255], (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * The photo in one pose of a dance: covering the frame, centred, then zoomed, turned and moved as
 * the pose says (the pose of a dance's start is the photo as it is). Where the frame falls outside
 * the photo, it shows the photo's nearest edge. BT.601 limited range, as decoders assume when a
 * stream does not say.
 */
export function frameAt(photo: Rgba, { zoom, right, up, turn }: Pose): Yuv420 {
  const { width, height, data } = photo;
  const scale = Math.max(WIDTH / width, HEIGHT / height) * zoom;
  // Each pixel of the frame, taken back through the pose to the photo: moved back, turned back,
  // scaled back. Unturned (cos 1, sin 0), this is exactly the unturned formula, bit for bit.
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  const rgb = new Float32Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    const v = y + 0.5 - HEIGHT / 2 + up;
    for (let x = 0; x < WIDTH; x++) {
      const u = x + 0.5 - WIDTH / 2 - right;
      const sx = Math.min(width - 1, Math.max(0, (cos * u + sin * v) / scale + width / 2 - 0.5));
      const sy = Math.min(height - 1, Math.max(0, (cos * v - sin * u) / scale + height / 2 - 0.5));
      const y0 = Math.floor(sy);
      const y1 = Math.min(height - 1, y0 + 1);
      const fy = sy - y0;
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = (data[(y0 * width + x0) * 4 + c] as number) * (1 - fx) + (data[(y0 * width + x1) * 4 + c] as number) * fx;
        const bottom = (data[(y1 * width + x0) * 4 + c] as number) * (1 - fx) + (data[(y1 * width + x1) * 4 + c] as number) * fx;
        rgb[(y * WIDTH + x) * 3 + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  const Y = new Uint8Array(WIDTH * HEIGHT);
  const U = new Uint8Array((WIDTH * HEIGHT) / 4);
  const V = new Uint8Array((WIDTH * HEIGHT) / 4);
  const clamp = (value: number) => Math.min(255, Math.max(0, Math.round(value)));
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    const r = rgb[i * 3] as number;
    const g = rgb[i * 3 + 1] as number;
    const b = rgb[i * 3 + 2] as number;
    Y[i] = clamp(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let y = 0; y < HEIGHT / 2; y++)
    for (let x = 0; x < WIDTH / 2; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [ox, oy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const at = ((2 * y + oy) * WIDTH + 2 * x + ox) * 3;
        r += rgb[at] as number;
        g += rgb[at + 1] as number;
        b += rgb[at + 2] as number;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      U[y * (WIDTH / 2) + x] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      V[y * (WIDTH / 2) + x] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  return { width: WIDTH, height: HEIGHT, y: Y, u: U, v: V };
}
