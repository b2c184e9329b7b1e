import { PHOTO_LIMITS } from "./limits.js";

/** Whether a width and height make a portrait the service takes: height:width within 1.2 to 2, both ends included. */
export const ratioHolds = (width: number, height: number): boolean =>
  height / width >= PHOTO_LIMITS.minHeightToWidth && height / width <= PHOTO_LIMITS.maxHeightToWidth;

/**
 * The smallest (`from` 1) or largest (`from` -1) whole `n` near `guess` for which `holds(n)`. There
 * is one for every photo at least 1 px wide and 2 px high (`checkPhotoLimits` refuses the others
 * first); for a photo 1 px high, the search would never end.
 */
function edge(guess: number, holds: (n: number) => boolean, from: 1 | -1): number {
  let n = from === 1 ? Math.ceil(guess) : Math.floor(guess);
  while (!holds(n)) n += from;
  while (holds(n - from)) n -= from;
  return n;
}

/**
 * The crops that make a photo a portrait the service takes, keeping one side: the other side's
 * range in pixels (a photo too wide keeps its height, one too tall keeps its width).
 */
export function portraitCrop(width: number, height: number): { keep: "height" | "width"; from: number; to: number } {
  const { minHeightToWidth: min, maxHeightToWidth: max } = PHOTO_LIMITS;
  if (height / width < min)
    return {
      keep: "height",
      from: edge(height / max, (w) => ratioHolds(w, height), 1),
      to: edge(height / min, (w) => ratioHolds(w, height), -1),
    };
  return { keep: "width", from: edge(width * min, (h) => ratioHolds(width, h), 1), to: edge(width * max, (h) => ratioHolds(width, h), -1) };
}

/**
 * The largest size the service takes that this photo becomes by cropping the least (only if its
 * height:width is out of range) and then scaling down (only if its long edge is too long).
 */
export function largestFit(width: number, height: number): { width: number; height: number; scaled: boolean } {
  let [w, h] = [width, height];
  if (!ratioHolds(w, h)) {
    const crop = portraitCrop(w, h);
    if (crop.keep === "height") w = crop.to;
    else h = crop.to;
  }
  const scale = PHOTO_LIMITS.maxLongEdge / Math.max(w, h);
  if (scale >= 1) return { width: w, height: h, scaled: false };
  const [scaledW, scaledH] = [Math.floor(w * scale), Math.floor(h * scale)];
  // Rounding down may tip the ratio past a bound: then take one pixel off the other side.
  if (ratioHolds(scaledW, scaledH)) return { width: scaledW, height: scaledH, scaled: true };
  return scaledH / scaledW > 1 && ratioHolds(scaledW, scaledH - 1)
    ? { width: scaledW, height: scaledH - 1, scaled: true }
    : { width: scaledW - 1, height: scaledH, scaled: true };
}
