import { VclmPhotoError } from "../errors/photo-error.js";
import { PHOTO_LIMITS } from "./limits.js";
import type { PhotoHeader } from "./read-header.js";

const MB = 1024 * 1024;

/** Applies the service's limits to a photo's size and header; throws the code the service would. */
export function checkPhotoLimits(header: PhotoHeader | undefined, byteLength: number): PhotoHeader {
  const { maxBytes, maxLongEdge, minHeightToWidth, maxHeightToWidth } = PHOTO_LIMITS;
  if (byteLength > maxBytes)
    throw new VclmPhotoError(
      "FailedOperation.ImageSizeExceed",
      `the photo is ${(byteLength / MB).toFixed(1)} MB; the limit is ${maxBytes / MB} MB`,
    );
  if (!header) throw new VclmPhotoError("FailedOperation.ImageDecodeFailed", "the photo ends before its dimensions: the file is truncated");
  const { width, height } = header;
  if (Math.max(width, height) > maxLongEdge)
    throw new VclmPhotoError(
      "FailedOperation.ImageResolutionExceed",
      `the photo is ${width}×${height} px; its long edge must be at most ${maxLongEdge} px`,
    );
  const ratio = height / width;
  if (ratio < minHeightToWidth || ratio > maxHeightToWidth)
    throw new VclmPhotoError(
      "FailedOperation.ImageRadioExcceed",
      `the photo is ${width}×${height} px (height:width ${ratio.toFixed(2)}); it must be a portrait with height:width between ${minHeightToWidth} and ${maxHeightToWidth}`,
    );
  return header;
}
