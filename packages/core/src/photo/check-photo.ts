import { VclmPhotoError } from "../errors/photo-error.js";
import { largestFit, portraitCrop, ratioHolds } from "./fit-photo.js";
import { PHOTO_LIMITS } from "./limits.js";
import type { PhotoHeader } from "./read-header.js";

const MB = 1024 * 1024;
const count = (n: number) => n.toLocaleString("en-US");
/** A size in MB, and in bytes too where one decimal would hide the difference from the limit. */
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB (${count(bytes)} bytes)`;

/** height:width with as many decimals as it takes not to look like a bound it is past (2001/1000 is 2.001, not 2.00). */
function ratioText(width: number, height: number): string {
  const ratio = height / width;
  let digits = 2;
  while (digits < 6 && ratioHolds(1, Number(ratio.toFixed(digits)))) digits++;
  return ratio.toFixed(digits);
}

/** What to do about a height:width out of range: the crop, keeping the side that can stay. */
function cropAdvice(width: number, height: number): string {
  const { keep, from, to } = portraitCrop(width, height);
  return keep === "height"
    ? `crop it to a portrait between ${PHOTO_LIMITS.minHeightToWidth} and ${PHOTO_LIMITS.maxHeightToWidth} high per wide: for this ${count(height)}-high photo, between ${count(from)} and ${count(to)} px wide`
    : `crop it to a portrait between ${PHOTO_LIMITS.minHeightToWidth} and ${PHOTO_LIMITS.maxHeightToWidth} high per wide: for this ${count(width)}-wide photo, between ${count(from)} and ${count(to)} px high`;
}

/** Applies the service's limits to a photo's size and header; throws the code the service would, and what would pass. */
export function checkPhotoLimits(header: PhotoHeader | undefined, byteLength: number): PhotoHeader {
  const { maxBytes, maxLongEdge, minHeightToWidth, maxHeightToWidth } = PHOTO_LIMITS;
  if (byteLength > maxBytes)
    throw new VclmPhotoError(
      "FailedOperation.ImageSizeExceed",
      `the photo is ${megabytes(byteLength)}; the limit is ${maxBytes / MB} MB (${count(maxBytes)} bytes): save it at least ${count(byteLength - maxBytes)} ${byteLength - maxBytes === 1 ? "byte" : "bytes"} smaller, e.g. as a JPEG of lower quality or with fewer pixels`,
    );
  if (!header)
    throw new VclmPhotoError(
      "FailedOperation.ImageDecodeFailed",
      "the photo ends before its dimensions: the file is truncated; use a complete copy of the photo",
    );
  const { width, height } = header;
  // No crop makes a photo 1 px high a portrait (and the search for one never ended).
  if (!(width > 0 && height > 1))
    throw new VclmPhotoError(
      width > 0 && height > 0 ? "FailedOperation.ImageRadioExcceed" : "FailedOperation.ImageDecodeFailed",
      `the photo is ${width}×${height} px: use a larger photo`,
    );
  const portrait = ratioHolds(width, height);
  if (Math.max(width, height) > maxLongEdge) {
    const fit = largestFit(width, height);
    throw new VclmPhotoError(
      "FailedOperation.ImageResolutionExceed",
      portrait
        ? `the photo is ${width}×${height} px; its long edge must be at most ${maxLongEdge} px: scale it down to ${fit.width}×${fit.height} px or smaller`
        : `the photo is ${width}×${height} px (height:width ${ratioText(width, height)}); its long edge must be at most ${maxLongEdge} px, and it must be a portrait with height:width between ${minHeightToWidth} and ${maxHeightToWidth}: ${fit.scaled ? "crop it and scale it down" : "crop it"}, e.g. to ${fit.width}×${fit.height} px`,
    );
  }
  if (!portrait)
    throw new VclmPhotoError(
      "FailedOperation.ImageRadioExcceed",
      `the photo is ${width}×${height} px (height:width ${ratioText(width, height)}); it must be a portrait with height:width between ${minHeightToWidth} and ${maxHeightToWidth}: ${cropAdvice(width, height)}`,
    );
  return header;
}
