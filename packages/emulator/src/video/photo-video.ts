import { danceOf } from "./dances.js";
import { decodePhoto, type Rgba } from "./decode.js";
import { frameAt, HEIGHT, keepForVideo, WIDTH } from "./frames.js";
import { idrFrame, pps, sps } from "./h264.js";
import { mp4 } from "./mp4.js";

/** 3 seconds at 8 frames a second. */
const FRAMES = 24;
const FPS = 8;

/**
 * What the emulator keeps of a submitted photo to make its video from: the photo decoded and
 * scaled down. Undefined when the photo cannot be decoded (its header passed the checks, its data
 * did not): that job gets the fixed sample video.
 */
export function photoForVideo(bytes: Uint8Array): Rgba | undefined {
  try {
    return keepForVideo(decodePhoto(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The result video of a photo and a template: H.264 (Constrained Baseline, lossless I_PCM) in MP4,
 * 192x320, 3 s of the photo doing the template's dance. The same photo and template make the same bytes.
 */
export function photoVideo(photo: Rgba, templateId: string): Uint8Array {
  const dance = danceOf(templateId);
  const frame = { width: WIDTH, height: HEIGHT };
  const frames = Array.from({ length: FRAMES }, (_, i) => idrFrame(frameAt(photo, dance(i / FRAMES, frame)), i));
  return mp4(frames, { width: WIDTH, height: HEIGHT, fps: FPS, sps: sps(WIDTH, HEIGHT), pps: pps() });
}
