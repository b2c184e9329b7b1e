import { type Answer, serviceError } from "../wire/envelope.js";
import { readPhotoHeader } from "./photo-header.js";
import { MAX_LONG_EDGE, MAX_PHOTO_BYTES, portraitRatioHolds } from "./photo-rules.js";

const MB = 1024 * 1024;

/**
 * The service's error for a photo it would refuse, or undefined for one it takes: PNG or JPEG,
 * at most 10 MB, long edge at most 2056 px, height:width 1.2 to 2. Reads only the header. A file
 * that is no PNG or JPEG, or whose header is wrong, is refused as undecodable whatever its size;
 * one too large, for its size, before a header cut short is called undecodable.
 */
export function photoProblem(bytes: Uint8Array): Answer | undefined {
  const header = readPhotoHeader(bytes);
  const undecodable = (why: string) => serviceError("FailedOperation.ImageDecodeFailed", why);
  if ("unreadable" in header && !header.truncated) return undecodable(header.unreadable);
  if (bytes.length > MAX_PHOTO_BYTES)
    return serviceError(
      "FailedOperation.ImageSizeExceed",
      `the photo is ${(bytes.length / MB).toFixed(1)} MB (${bytes.length} bytes); the limit is ${MAX_PHOTO_BYTES / MB} MB`,
    );
  if ("unreadable" in header) return undecodable(header.unreadable);
  const { width, height } = header;
  if (Math.max(width, height) > MAX_LONG_EDGE)
    return serviceError(
      "FailedOperation.ImageResolutionExceed",
      `the photo is ${width}×${height} px; its long edge must be at most ${MAX_LONG_EDGE} px`,
    );
  if (!portraitRatioHolds(width, height))
    return serviceError(
      "FailedOperation.ImageRadioExcceed",
      `the photo is ${width}×${height} px (height:width ${(height / width).toFixed(2)}); it must be a portrait with height:width between 1.2 and 2`,
    );
  return undefined;
}
